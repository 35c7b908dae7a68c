import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuanwen.units.services import DivisionNotFound, units_import


class Command(BaseCommand):
    help = "区划：import a province, city, county or township with everything below it."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import from the packaged division data")
        imp.add_argument("target", nargs="?", help="a code (331082) or an exact name (临海市)")
        imp.add_argument("--all", action="store_true", help="the whole country")

    def handle(self, *args: Any, **options: Any) -> None:
        target, everything = options.get("target"), options.get("all")
        if bool(target) == bool(everything):
            raise CommandError("请给出一个区划代码或名称，或者 --all（二者取一）。")
        started = time.perf_counter()
        try:
            report = units_import(target=None if everything else target)
        except DivisionNotFound as exc:
            raise CommandError("\n".join([str(exc), *exc.candidates])) from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"用时 {time.perf_counter() - started:.1f} 秒")
