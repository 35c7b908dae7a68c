from ninja import Router

router = Router(tags=["opening 开放登记"])
