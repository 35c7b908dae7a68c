from ninja import Router

router = Router(tags=["bookhouses 农家书屋"])
