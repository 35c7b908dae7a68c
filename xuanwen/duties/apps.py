from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "xuanwen.duties"
    verbose_name = "常规工作"

    def ready(self) -> None:
        from . import home  # noqa: F401 (the overdue periods on the home page)
        from .indicators import register_all

        register_all()
