from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xuanwen.core"
    verbose_name = "核心"
