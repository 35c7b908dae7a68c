from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "xuanwen.reporting"
    verbose_name = "上报"

    def ready(self) -> None:
        from xuanwen.core import locks as core_locks

        from . import dashboard  # noqa: F401 (what the children owe, on the dashboard)
        from . import home  # noqa: F401 (what a unit owes and what awaits approval, on the home page)
        from .locks import refuse_if_locked

        # Every record write asks core.locks; an approved report answers for its period.
        core_locks.register_check(refuse_if_locked)
