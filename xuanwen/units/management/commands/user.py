from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuanwen.accounts.models import Role, User
from xuanwen.core.scope import COUNTRY, Scope

from ...models import Unit
from ...selectors import unit_by_code_or_path
from ...services import (
    user_activate,
    user_create,
    user_deactivate,
    user_set_name,
    user_set_role,
    user_set_unit,
)

UNIT_HELP = "the unit: its code (331082), name (临海市) or name path (临海市/古城街道)"


class Command(BaseCommand):
    help = (
        "用户：create, list, set-name, set-role, set-unit, deactivate, activate. Every change is "
        "audited with the system as its actor."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a user")
        create.add_argument("username")
        create.add_argument("--unit", required=True, help="the unit code, e.g. 331082")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--password", help="without it the user cannot sign in yet")
        create.add_argument("--name", required=True, help="the person's name (姓名)")
        listing = sub.add_parser("list", help="every user, or those in a unit's subtree")
        listing.add_argument("--unit", help=UNIT_HELP)
        role = sub.add_parser("set-role", help="change a user's role")
        role.add_argument("username")
        role.add_argument("role", choices=Role.values)
        name = sub.add_parser("set-name", help="give a user their name (姓名)")
        name.add_argument("username")
        name.add_argument("name")
        unit = sub.add_parser("set-unit", help="move a user to another unit")
        unit.add_argument("username")
        unit.add_argument("unit", help=UNIT_HELP)
        for action, text in [
            ("deactivate", "stop a user signing in: ends their sessions, revokes their tokens"),
            ("activate", "let a deactivated user sign in again (with new tokens)"),
        ]:
            sub.add_parser(action, help=text).add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("-", "_")
        try:
            getattr(self, f"_{action}")(options)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc

    def _user(self, username: str) -> User:
        user = User.objects.select_related("unit").filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户 {username}")
        return user

    def _create(self, options: dict[str, Any]) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(
                f"单位 {options['unit']} 不存在；请先导入：xuanwen units import {options['unit']}"
            )
        user = user_create(
            actor=None,
            username=options["username"],
            unit=unit,
            role=options["role"],
            password=options["password"],
            name=options["name"],
        )
        self.stdout.write(
            f"已创建用户 {user.username}（{user.name}，{user.get_role_display()}，{unit.name}）"
        )

    def _list(self, options: dict[str, Any]) -> None:
        users = User.objects.select_related("unit").order_by("unit_id", "username")
        if options["unit"]:
            unit = unit_by_code_or_path(COUNTRY, options["unit"])
            users = users.filter(Scope.unit(unit.code).q("unit_id"))
        self.stdout.write("用户名\t姓名\t角色\t单位\t状态")
        for u in users:
            unit_text = f"{u.unit.code} {u.unit.name}" if u.unit else "-"
            self.stdout.write(
                "\t".join(
                    [
                        u.username,
                        u.get_full_name() or "-",
                        str(u.get_role_display()),
                        unit_text,
                        "启用" if u.is_active else "停用",
                    ]
                )
            )

    def _set_name(self, options: dict[str, Any]) -> None:
        user = user_set_name(actor=None, user=self._user(options["username"]), name=options["name"])
        self.stdout.write(f"{user.username} 的姓名已改为 {user.name}")

    def _set_role(self, options: dict[str, Any]) -> None:
        user = user_set_role(actor=None, user=self._user(options["username"]), role=options["role"])
        self.stdout.write(f"{user.username} 的角色已改为 {user.get_role_display()}")

    def _set_unit(self, options: dict[str, Any]) -> None:
        user = self._user(options["username"])
        unit = unit_by_code_or_path(COUNTRY, options["unit"])
        user_set_unit(actor=None, user=user, unit=unit)
        self.stdout.write(f"{user.username} 的单位已改为 {unit.name}（{unit.code}）")

    def _deactivate(self, options: dict[str, Any]) -> None:
        user = self._user(options["username"])
        if not user.is_active:
            raise CommandError(f"用户 {user.username} 已经停用")
        user_deactivate(actor=None, user=user)
        self.stdout.write(f"已停用 {user.username}：其登录会话已结束，令牌已全部撤销")

    def _activate(self, options: dict[str, Any]) -> None:
        user = self._user(options["username"])
        if user.is_active:
            raise CommandError(f"用户 {user.username} 已经是启用状态")
        user_activate(actor=None, user=user)
        self.stdout.write(f"已启用 {user.username}（原有令牌仍为撤销状态，需要时请新建）")
