from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "xuanwen.duties"
    verbose_name = "常规工作"

    def ready(self) -> None:
        from . import home  # noqa: F401 (the overdue periods on the home page)
        from .indicators import register_all

        register_all()

        from xuanwen.core import locks

        from .models import DutyCompletion, Evidence, InspectedBusiness

        # A completion counts from its period's first day to the day it was done: an approved
        # report of a month it touches locks it, and its evidence and inspections with it.
        locks.register_dated(DutyCompletion, start="period_start", end="done_on")
        locks.register_dated(Evidence, owner="completion")
        locks.register_dated(InspectedBusiness, owner="completion")
