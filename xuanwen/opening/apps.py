from django.apps import AppConfig


class OpeningConfig(AppConfig):
    name = "xuanwen.opening"
    verbose_name = "开放登记"

    def ready(self) -> None:
        from xuanwen.audit.services import register_restore_hook

        from . import home  # noqa: F401 (today's opening on the home page)
        from .indicators import register_all
        from .models import OpeningLog
        from .services import check_restored

        register_all()
        # A session restored from the audit page must not overlap one recorded since.
        register_restore_hook(OpeningLog, check_restored)

        from xuanwen.core import locks

        # A day's opening belongs to its month: an approved report of that month locks it
        # (its unit is the facility's, which the write names).
        locks.register_dated(OpeningLog, start="date")
