from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo county and a year of its records for `make run` (`xuanwen demo`): it drives
    every app's services, so it sits on top and nothing imports it."""

    name = "xuanwen.demo"
    verbose_name = "演示数据"
