from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "xuanwen.documents"
    verbose_name = "文档"
