from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from xuanwen.core import clock
from xuanwen.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份：write the database, the uploaded files, a manifest and checksums to one archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="the archive to write (default: xuanwen-backup-<date-time>.tar here)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"] or Path(
            f"xuanwen-backup-{timezone.localtime(clock.now()):%Y-%m-%d-%H%M%S}.tar"
        )
        try:
            info = backup(connections[DEFAULT_DB_ALIAS], output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已备份到 {output}（{info['vendor']}，{len(info['migrations'])} 个迁移）"
        )
