from django.apps import AppConfig


class OpeningConfig(AppConfig):
    name = "xuanwen.opening"
    verbose_name = "开放登记"

    def ready(self) -> None:
        from . import home  # noqa: F401 (today's opening on the home page)
        from .indicators import register_all

        register_all()

        from xuanwen.core import locks

        from .models import OpeningLog

        # A day's opening belongs to its month: an approved report of that month locks it
        # (its unit is the facility's, which the write names).
        locks.register_dated(OpeningLog, start="date")
