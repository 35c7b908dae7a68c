from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "xuanwen.facilities"
    verbose_name = "文化阵地"

    def ready(self) -> None:
        # facilities.count, facilities.area and the family facilities.kind.<code>.
        from . import indicators  # noqa: F401
