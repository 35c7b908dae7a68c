from django.apps import AppConfig


class DesignationsConfig(AppConfig):
    name = "xuanwen.designations"
    verbose_name = "命名"

    def ready(self) -> None:
        # designations.count / .new and the families designations.kind.<code> / .new.<code>.
        from . import indicators  # noqa: F401
