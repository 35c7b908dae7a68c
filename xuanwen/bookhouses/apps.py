from typing import Any

from django.apps import AppConfig


class BookhousesConfig(AppConfig):
    name = "xuanwen.bookhouses"
    verbose_name = "农家书屋"

    def ready(self) -> None:
        # Indicators become plan targets through the registry (plans read it).
        from xuanwen.audit import services as audit_services

        from .indicators import register_all
        from .models import StockEntry

        register_all()
        # Restoring a removal on the audit page keeps to the rule that holdings never go
        # below zero, as deleting and editing do.
        audit_services.register_restore_hook(StockEntry, _stock_restored)


def _stock_restored(*, user: Any, obj: Any) -> None:
    from .services import stock_restored

    stock_restored(user=user, entry=obj)
