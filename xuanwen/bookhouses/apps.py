from django.apps import AppConfig


class BookhousesConfig(AppConfig):
    name = "xuanwen.bookhouses"
    verbose_name = "农家书屋"

    def ready(self) -> None:
        # Indicators become plan targets through the registry (plans read it).
        from .indicators import register_all

        register_all()
