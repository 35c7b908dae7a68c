from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "xuanwen.reporting"
    verbose_name = "上报"

    def ready(self) -> None:
        from xuanwen.core import locks as core_locks

        # Home cards: what a unit owes and what awaits approval; what the children owe.
        from . import dashboard, home  # noqa: F401
        from .locks import refuse_if_locked

        # Every record write asks core.locks; an approved report answers for its period.
        core_locks.register_check(refuse_if_locked)
