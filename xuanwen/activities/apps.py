from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "xuanwen.activities"
    verbose_name = "活动"

    def ready(self) -> None:
        # The activities' own indicators (counts, coverage, awards, one per type).
        from . import indicators  # noqa: F401
