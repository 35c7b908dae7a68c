from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "xuanwen.indicators"
    verbose_name = "指标"

    def ready(self) -> None:
        # Registers the activity indicators; other apps register theirs in their own ready().
        from . import activity_indicators  # noqa: F401
