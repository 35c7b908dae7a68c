from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "xuanwen.units"
    verbose_name = "行政区划"
