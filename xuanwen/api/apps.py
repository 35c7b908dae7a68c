from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xuanwen.api"
    verbose_name = "API"
