from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuanwen.accounts.models import User
from xuanwen.accounts.services import token_create


class Command(BaseCommand):
    help = "Print a new API token for a user (use it as `Authorization: Bearer <token>`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有启用的用户 {options['username']}")
        self.stdout.write(token_create(user=user))
