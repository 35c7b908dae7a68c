from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "xuanwen.facilities"
    verbose_name = "文化阵地"
