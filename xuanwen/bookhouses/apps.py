from django.apps import AppConfig


class BookhousesConfig(AppConfig):
    name = "xuanwen.bookhouses"
    verbose_name = "农家书屋"
