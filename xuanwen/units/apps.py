from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "xuanwen.units"
    verbose_name = "行政区划"

    def ready(self) -> None:
        from . import home  # noqa: F401 (the unit tree's card on the home page)
