from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xuanwen.accounts"
    verbose_name = "用户"
