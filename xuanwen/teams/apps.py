from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "xuanwen.teams"
    verbose_name = "队伍与培训"

    def ready(self) -> None:
        from .indicators import register_all

        register_all()
