from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "xuanwen.duties"
    verbose_name = "常规工作"
