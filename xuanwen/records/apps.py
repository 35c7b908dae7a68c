from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """What every record type repeats, written once: list filters, entry pages, uploads."""

    name = "xuanwen.records"
    verbose_name = "登记簿"
