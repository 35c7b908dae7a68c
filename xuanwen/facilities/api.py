from ninja import Router

router = Router(tags=["facilities 文化阵地"])
