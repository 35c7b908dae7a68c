from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xuanwen.audit"
    verbose_name = "审计"
