from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "xuanwen.duties"
    verbose_name = "常规工作"

    def ready(self) -> None:
        from .indicators import register_all

        register_all()
