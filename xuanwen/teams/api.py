from ninja import Router

router = Router(tags=["teams 队伍与培训"])
