from django.apps import AppConfig


class OpeningConfig(AppConfig):
    name = "xuanwen.opening"
    verbose_name = "开放登记"

    def ready(self) -> None:
        from .indicators import register_all

        register_all()
