from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from xuanwen.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "恢复：verify a backup archive and restore it into an empty database and MEDIA_ROOT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="an archive written by `xuanwen backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            info = restore(connections[DEFAULT_DB_ALIAS], options["archive"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已恢复 {options['archive']}（{info['created']} 的备份，版本 {info['version']}）；"
            "如果备份来自旧版本，请再运行 xuanwen migrate"
        )
