from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "xuanwen.plans"
    verbose_name = "工作计划"
