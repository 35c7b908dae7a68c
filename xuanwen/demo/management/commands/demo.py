from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xuanwen.demo.county import DEMO_PASSWORD, demo_load
from xuanwen.demo.records import demo_records


class Command(BaseCommand):
    help = (
        "Load the demo county 临海市, one demo user per role and a year of records of "
        "古城街道 (idempotent; --no-records for the users only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-records", action="store_true", help="只载入单位和账号")

    def handle(self, *args: Any, **options: Any) -> None:
        report, logins = demo_load()
        for line in report.lines():
            self.stdout.write(line)
        if not options["no_records"]:
            made = demo_records()
            if made:
                self.stdout.write("演示记录 demo records (古城街道、文化社区): " + "；".join(made))
        self.stdout.write("")
        self.stdout.write(f"演示账号 demo logins (password 密码: {DEMO_PASSWORD})")
        for login, unit in logins:
            self.stdout.write(
                f"  {login.username:<14} {login.name:<4} {login.role.label:<8} "
                f"{unit.name} ({unit.code})"
            )
