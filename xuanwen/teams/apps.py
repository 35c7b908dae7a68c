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


def _class_restored(*, user: "User", obj: Any) -> None:
    from .services import training_restored

    training_restored(user=user, training=obj)
