from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "xuanwen.workdays"
    verbose_name = "工作日历"
