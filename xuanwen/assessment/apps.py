from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "xuanwen.assessment"
    verbose_name = "考核"

    def ready(self) -> None:
        from . import (
            home,  # noqa: F401 (the latest published ranking on a supervisor's home)
            indicators,
        )

        indicators.register_all()
