from django.apps import AppConfig


class OpeningConfig(AppConfig):
    name = "xuanwen.opening"
    verbose_name = "开放登记"

    def ready(self) -> None:
        from . import home  # noqa: F401 (today's opening on the home page)
        from .indicators import register_all

        register_all()
