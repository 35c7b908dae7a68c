from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xuanwen.accounts.models import TOKEN_DAYS_DEFAULT, TOKEN_DAYS_MAX, ApiToken, User
from xuanwen.accounts.selectors import tokens_listed
from xuanwen.core import clock

from ...services import api_token_create, api_token_revoke


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = "API 令牌：list, create (printed once) and revoke; audited as the system."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="every token, or one user's")
        listing.add_argument("username", nargs="?")
        create = sub.add_parser("create", help="a new token for a user, printed once")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what it is for, e.g. 统计脚本")
        create.add_argument(
            "--days",
            type=int,
            default=TOKEN_DAYS_DEFAULT,
            help=f"how long it lasts, 1 to {TOKEN_DAYS_MAX} days (default {TOKEN_DAYS_DEFAULT})",
        )
        revoke = sub.add_parser("revoke", help="revoke a token by its ID (see list)")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc

    def _list(self, options: dict[str, Any]) -> None:
        username = options["username"]
        if username and not User.objects.filter(username=username).exists():
            raise CommandError(f"没有用户 {username}")
        now = clock.now()
        self.stdout.write("ID\t用户\t名称\t前缀\t创建\t到期\t最近使用\t状态")
        for t in tokens_listed(username):
            self.stdout.write(
                "\t".join(
                    [
                        str(t.pk),
                        t.user.username,
                        t.name,
                        f"{t.hint}…",
                        _when(t.created_at),
                        _when(t.expires_at),
                        _when(t.last_used_at),
                        str(t.state(now).label),
                    ]
                )
            )

    def _create(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户 {options['username']}")
        token, raw = api_token_create(
            actor=None, user=user, name=options["name"], days=options["days"]
        )
        self.stderr.write(
            f"已为 {user.username} 新建令牌“{token.name}”（ID {token.pk}），"
            f"有效期至 {_when(token.expires_at)}；令牌只显示这一次："
        )
        self.stdout.write(raw)

    def _revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.select_related("user").filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(f"没有 ID 为 {options['id']} 的令牌")
        api_token_revoke(actor=None, token=token)
        self.stdout.write(f"已撤销 {token.user.username} 的令牌“{token.name}”（ID {token.pk}）")
