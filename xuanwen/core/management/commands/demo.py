from typing import Any

from django.core.management.base import BaseCommand

from xuanwen.core.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo county 临海市 and one demo user per role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report, logins = demo_load()
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(f"演示账号 demo logins (password 密码: {DEMO_PASSWORD})")
        for login, unit in logins:
            self.stdout.write(
                f"  {login.username:<14} {login.role.label:<8} {unit.name} ({unit.code})"
            )
