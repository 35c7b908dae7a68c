from ninja import Router

router = Router(tags=["workdays 工作日历"])
