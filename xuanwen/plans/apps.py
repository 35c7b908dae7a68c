from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "xuanwen.plans"
    verbose_name = "工作计划"

    def ready(self) -> None:
        # Home cards: plans awaiting approval or sent back; the children's plan progress.
        from . import dashboard, home  # noqa: F401
