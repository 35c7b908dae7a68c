from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuanwen.accounts.models import Role

from ...models import Unit
from ...services import user_create


class Command(BaseCommand):
    help = "用户：create a user bound to a unit with a role."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a user")
        create.add_argument("username")
        create.add_argument("--unit", required=True, help="the unit code, e.g. 331082")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--password", help="without it the user cannot sign in yet")
        create.add_argument("--name", default="", help="the person's name")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(
                f"单位 {options['unit']} 不存在；请先导入：xuanwen units import {options['unit']}"
            )
        try:
            user = user_create(
                actor=None,
                username=options["username"],
                unit=unit,
                role=options["role"],
                password=options["password"],
                full_name=options["name"],
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已创建用户 {user.username}（{user.get_role_display()}，{unit.name}）")
