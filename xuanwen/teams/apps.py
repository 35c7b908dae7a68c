from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "xuanwen.teams"
    verbose_name = "队伍与培训"
