from ninja import Router

router = Router(tags=["duties 常规工作"])
