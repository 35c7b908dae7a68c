from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:  # models cannot be imported before the app registry is ready
    from xuanwen.accounts.models import User


class BookhousesConfig(AppConfig):
    name = "xuanwen.bookhouses"
    verbose_name = "农家书屋"

    def ready(self) -> None:
        # Indicators become plan targets through the registry (plans read it).
        from xuanwen.audit import services as audit_services

        from . import home  # noqa: F401 (loans due, on the home page)
        from .indicators import register_all
        from .models import StockEntry

        register_all()
        # Restoring a removal on the audit page keeps to the rule that holdings never go
        # below zero, as deleting and editing do.
        audit_services.register_restore_hook(StockEntry, _stock_restored)

        from xuanwen.core import locks

        from .models import Demand, Loan

        # Dated by their day (the unit is the bookhouse's, which the write names). A March
        # loan's return in April is April's: returning it alone is not locked.
        locks.register_dated(StockEntry, start="date")
        locks.register_dated(Loan, start="lent_on", free=("returned_on",))
        locks.register_dated(Demand, start="date")


def _stock_restored(*, user: "User", obj: Any) -> None:
    from .services import stock_restored

    stock_restored(user=user, entry=obj)
