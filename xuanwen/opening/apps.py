from django.apps import AppConfig


class OpeningConfig(AppConfig):
    name = "xuanwen.opening"
    verbose_name = "开放登记"
