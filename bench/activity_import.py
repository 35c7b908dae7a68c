"""Time the Excel import of 100,000 activities against openpyxl merely reading the same file.

    .venv/bin/python bench/activity_import.py               # 100,000 rows
    .venv/bin/python bench/activity_import.py --rows 20000  # a quicker look

In one run it:

1. creates a fresh temporary SQLite database (SQLITE_PATH, set before django.setup()),
   migrates it, imports the county 331082 (临海市, ~700 units) with `units_import` and creates
   an admin of that county;
2. writes a workbook of N activities spread over the county's villages, the activity types and
   the year 2025, in the import template's columns. openpyxl's write-only mode leaves out the
   sheet's <dimension> element, which Excel and WPS always write and without which openpyxl
   reads the whole sheet twice; the script puts it in, so both timings below read the file
   the way they would read one saved by Excel;
3. times the preview once (read_workbook with the rules: what the upload step runs);
4. then, --repeat times in turn (the table emptied in between, untimed):
   the baseline, `load_workbook(read_only=True)` iterating every row (values only), and
   the import exactly as the confirmation step runs it: `excel.read_workbook` (every cell
   parsed, units and types looked up) then `services.activities_import` (the rules, the
   duplicate checks, the insert and one audit entry, in one transaction);
5. prints the best wall-clock and CPU seconds of each, the ratio and the goal (import ≤ 2×
   the parse) with PASS or MISS. CPU seconds are the steadier figure on a shared machine.

Always SQLite: DATABASE_URL is ignored. Nothing here asserts on time; the exit status is 1 only
when the import is wrong (a problem reported, or the wrong number of rows or audit entries).
"""

import argparse
import os
import re
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COUNTY = "331082"
GOAL_RATIO = 2.0

PLACES = ["文化礼堂", "村文化广场", "农家书屋", "文化站多功能厅", "老年活动室", "村委会会议室"]
EVENTS = ["元宵", "春节", "三八", "五四", "六一", "七一", "国庆", "重阳", "中秋", "端午"]
KINDS = ["文艺晚会", "送戏下乡", "书法展", "读书会", "广场舞展演", "理论宣讲", "非遗展示"]


def build_workbook(path: Path, rows: int, units: list[tuple[str, str]], types: list[str]) -> None:
    from openpyxl import Workbook

    from xuanwen.activities.excel import COLUMNS, SHEET_TITLE

    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.append([c.header for c in COLUMNS])
    first = date(2025, 1, 1)
    funding = ["财政", "自筹", "赞助", "其他", ""]
    for i in range(rows):
        code, name = units[i % len(units)]
        start = first + timedelta(days=(i * 7) % 365)
        values: dict[str, Any] = {
            "unit": code,
            "unit_name": name if i % 2 else "",
            "type": types[i % len(types)],
            "title": f"{name}{EVENTS[i % len(EVENTS)]}{KINDS[i % len(KINDS)]}第{i + 1}期",
            "start_date": start,
            "end_date": start + timedelta(days=i % 3),
            "place": PLACES[i % len(PLACES)],
            "organisers": f"{name}村委会",
            "co_organisers": "街道文化站" if i % 4 == 0 else "",
            "participants": 10 + i % 90,
            "audience": 50 + (i * 13) % 950,
            "cost": round((i % 50) * 37.5, 2) if i % 5 else None,
            "funding": funding[i % len(funding)],
            "description": "群众喜闻乐见，反响良好。" if i % 3 == 0 else "",
        }
        sheet.append([values[c.key] for c in COLUMNS])
    book.save(path)
    add_dimension(path, f"A1:{chr(ord('A') + len(COLUMNS) - 1)}{rows + 1}")


def add_dimension(path: Path, ref: str) -> None:
    """Put <dimension ref=…/> where Excel writes it: after <sheetPr>, before <sheetViews>."""
    member = "xl/worksheets/sheet1.xml"
    rewritten = path.with_suffix(".tmp")
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                xml = data.decode()
                xml, n = re.subn(
                    r"(<sheetViews|<sheetFormatPr|<sheetData)",
                    f'<dimension ref="{ref}" />\\1',
                    xml,
                    count=1,
                )
                assert n == 1, "no place for <dimension> in the sheet"
                data = xml.encode()
            out.writestr(info, data)
    rewritten.replace(path)


class Timing:
    """Wall-clock and CPU seconds of the fastest of several runs of one step."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> "Timing":
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall.append(time.perf_counter() - self._wall)
        self.cpu.append(time.process_time() - self._cpu)

    def best(self) -> tuple[float, float]:
        return min(self.wall), min(self.cpu)


def parse(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    count = 0
    for _row in book.worksheets[0].iter_rows(values_only=True):
        count += 1
    book.close()
    return count


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000, help="activities in the workbook")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (best kept)")
    args = parser.parse_args()

    workdir = tempfile.TemporaryDirectory(prefix="xuanwen-bench-")
    db_path = Path(workdir.name) / "bench.sqlite3"
    book_path = Path(workdir.name) / "activities.xlsx"
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(db_path)
    os.environ["DJANGO_SETTINGS_MODULE"] = "xuanwen.settings"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from xuanwen.accounts.models import Role, User
    from xuanwen.activities import excel, services
    from xuanwen.activities.models import Activity, ActivityType
    from xuanwen.audit.models import Action, AuditEntry
    from xuanwen.units.models import Unit
    from xuanwen.units.services import units_import

    call_command("migrate", verbosity=0, interactive=False)
    units_import(target=COUNTY)
    admin = User.objects.create_user(
        username="bench-admin", password="bench-password-1", unit_id=COUNTY, role=Role.ADMIN
    )
    villages = list(
        Unit.objects.filter(code__startswith=COUNTY, code__regex=r"^\d{12}$")
        .order_by("code")
        .values_list("code", "name")
    )
    types = list(ActivityType.objects.filter(active=True).values_list("name", flat=True))

    print(f"activity import — {args.rows:,} rows over {len(villages)} villages of {COUNTY}")
    started = time.perf_counter()
    build_workbook(book_path, args.rows, villages, types)
    size_mb = book_path.stat().st_size / 1024 / 1024
    print(f"  workbook written in {time.perf_counter() - started:.1f} s ({size_mb:.1f} MB)")

    # The preview (the upload step) once, for information.
    preview_timing = Timing()
    with preview_timing:
        preview = excel.read_workbook(str(book_path), user=admin, check_rules=True)
    if not preview.ok:
        print("WRONG: the preview reports problems:")
        for problem in preview.problems[:10]:
            print(f"  {problem}")
        return 1

    # Parse and import in turn, so that whatever else the machine does hits both alike; the
    # table is emptied between imports (untimed) so that each one starts from the same state.
    parse_timing, read_timing, save_timing, import_timing = Timing(), Timing(), Timing(), Timing()
    failed = False
    for run in range(args.repeat):
        with parse_timing:
            count = parse(book_path)
        if count != args.rows + 1:
            print(f"WRONG: the parse saw {count} rows, expected {args.rows + 1}")
            failed = True
        if run:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {Activity._meta.db_table}")
            AuditEntry.objects.filter(action=Action.IMPORT, model="activities.activity").delete()
        with import_timing:
            with read_timing:
                result = excel.read_workbook(str(book_path), user=admin, check_rules=False)
            with save_timing:
                created = services.activities_import(
                    user=admin,
                    rows=result.rows,
                    row_numbers=result.row_numbers,
                    source=book_path.name,
                )
        in_db = Activity.objects.count()
        audits = AuditEntry.objects.filter(action=Action.IMPORT, model="activities.activity")
        if created != args.rows or in_db != args.rows or audits.count() != 1:
            print(f"WRONG: {created} created, {in_db} in the table, {audits.count()} audit entries")
            failed = True
        del result
    workdir.cleanup()

    parse_wall, parse_cpu = parse_timing.best()
    import_wall, import_cpu = import_timing.best()
    read_wall, _read_cpu = read_timing.best()
    save_wall, _save_cpu = save_timing.best()
    preview_wall, preview_cpu = preview_timing.best()
    ratio = import_wall / parse_wall
    cpu_ratio = import_cpu / parse_cpu
    print()
    rows = [
        ("parse", parse_wall, parse_cpu, "openpyxl read_only, every row, values only"),
        ("import", import_wall, import_cpu, "read_workbook + activities_import"),
        ("  reading", read_wall, None, "read_workbook: cells, units, types"),
        ("  saving", save_wall, None, "activities_import: rules, insert, audit"),
        ("preview", preview_wall, preview_cpu, "read_workbook with the rules (upload)"),
    ]
    print(f"best of {args.repeat}     wall s    CPU s")
    for name, wall, cpu, what in rows:
        cpu_text = f"{cpu:7.2f}" if cpu is not None else " " * 7
        print(f"{name:<10}  {wall:7.2f}  {cpu_text}   {what}")
    print(f"ratio       {ratio:7.2f}  {cpu_ratio:7.2f}   import ÷ parse")
    print()
    print(
        f"goal: import ≤ {GOAL_RATIO:.0f}× parse   {verdict(ratio <= GOAL_RATIO)} (wall)"
        f"   {verdict(cpu_ratio <= GOAL_RATIO)} (CPU)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
