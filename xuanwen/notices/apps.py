from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "xuanwen.notices"
    verbose_name = "通知"

    def ready(self) -> None:
        from xuanwen.plans.signals import plan_status_changed

        from .services import plan_changed

        # Plans cannot import notices (it sits below them): they send a signal, heard here.
        plan_status_changed.connect(plan_changed, dispatch_uid="notices.plan_changed")
