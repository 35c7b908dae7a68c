from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "xuanwen.activities"
    verbose_name = "活动"
