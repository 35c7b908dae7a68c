import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xuanwen.activities import counts


class Command(BaseCommand):
    help = (
        "Rebuild the kept activity counts (the list's 共 N 项活动) and the indicators' tallies "
        "from the activities table; "
        "run it after changing the database by hand. --check only reports what is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="only report the wrong counters (exit status 1 if any); change nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        wrong = counts.differences() if options["check"] else counts.rebuild()
        for label, (kept, actual) in wrong.items():
            self.stdout.write(f"{label}: 记为 {kept}，实有 {actual}")
        if options["check"]:
            self.stdout.write(f"{len(wrong)} 个计数有误" if wrong else "计数全部正确")
            if wrong:
                sys.exit(1)
        else:
            self.stdout.write(f"已重建计数（改正 {len(wrong)} 个）")
