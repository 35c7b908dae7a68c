from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "xuanwen.plans"
    verbose_name = "工作计划"

    def ready(self) -> None:
        from . import dashboard  # noqa: F401 (the children's plan progress, on the dashboard)
        from . import home  # noqa: F401 (plans awaiting approval or sent back, on the home page)
