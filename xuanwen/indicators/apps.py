from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "xuanwen.indicators"
    verbose_name = "指标"
    # Only the registry and the pages: each app registers its own indicators from its own
    # AppConfig.ready() (activities, opening, duties …).

    def ready(self) -> None:
        from . import home  # noqa: F401 (the children ranked on key indicators, on the dashboard)
