from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:  # models cannot be imported before the app registry is ready
    from xuanwen.accounts.models import User


class TeamsConfig(AppConfig):
    name = "xuanwen.teams"
    verbose_name = "队伍与培训"

    def ready(self) -> None:
        from xuanwen.audit import services as audit_services

        from .indicators import register_all
        from .models import TrainingClass

        register_all()
        # Restoring a class on the audit page brings back the 培训 activity deleted with it.
        audit_services.register_restore_hook(TrainingClass, _class_restored)
        _register_locks()


def _register_locks() -> None:
    """The dated registers an approved report period locks: a class (its days), its sessions,
    trainees and roll calls with it; a team's performance with its activity; an honour by the
    day it was awarded. People, teams and memberships are standing records: not locked."""
    from xuanwen.core import locks

    from .models import Attendance, Honour, TeamPerformance, Trainee, TrainingClass, TrainingSession

    locks.register_dated(TrainingClass, start="start_date", end="end_date", unit="unit")
    locks.register_dated(TrainingSession, owner="training_class")
    locks.register_dated(Trainee, owner="training_class")
    locks.register_dated(Attendance, owner="session")
    locks.register_dated(TeamPerformance, owner="activity")
    locks.register_dated(Honour, start="awarded_on", unit="unit")


def _class_restored(*, user: "User", obj: Any) -> None:
    from .services import training_restored

    training_restored(user=user, training=obj)
