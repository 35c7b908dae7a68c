from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "xuanwen.households"
    verbose_name = "文化户"

    def ready(self) -> None:
        # households.count, .new, .members and the families households.kind.<code> and
        # households.new.<code>.
        from . import indicators  # noqa: F401
