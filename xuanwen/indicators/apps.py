from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "xuanwen.indicators"
    verbose_name = "指标"
