"""Time and peak memory of the import preview on hostile workbooks and on a valid large one.

    .venv/bin/python bench/hostile_imports.py                  # SQLite, 200,000-row files
    .venv/bin/python bench/hostile_imports.py --db postgres    # PostgreSQL, 127.0.0.1:5432
    .venv/bin/python bench/hostile_imports.py --rows 20000     # a quicker look
    .venv/bin/python bench/hostile_imports.py --via page       # through the upload page

The workbooks are those of issue #11 ("What was found", item 2), which used to hang a worker
until gunicorn killed it at 30 s, and a valid file to compare with:

- **dimension**: a 5 KB workbook whose sheet declares `<dimension ref="A1:XFD1048576"/>`, with
  one cell in row 1,048,576 (openpyxl would pad a million rows of 16,384 cells);
- **blank**: ~390 MB of blank rows (cells styled but empty, as formatting dragged down the
  sheet leaves them) in a 3.4 MB file, with no dimension declared (the rows keep their
  numbers, as Excel writes them, which is why the file is not smaller);
- **blank-runs**: the same blank rows broken by a data row before each run reaches the
  import's blank-run limit (`core.sheets.BLANK_RUN_MAX`), so no single run is long;
- **invalid**: N rows, every one wrong (an unknown type, an impossible date, an unknown unit);
- **valid**: N good activities over the demo county's villages, as Excel saves them.

Each sheet is written by hand into the zip (streamed, so the 390 MB is never in memory);
the other parts of the workbook are openpyxl's.

In one run it:

1. prepares a scratch database in a child process: SQLite in a temporary directory, or the
   PostgreSQL database xw_bench_hostile (dropped and created again), migrated, with the demo
   unit tree and its users (`demo_load`: 临海市 and one user per role);
2. writes the workbooks in the temporary directory;
3. for each workbook, starts a fresh child process (so peaks do not mix) that sets Django up,
   then, as the activities' upload page does (`activities.views_excel.FLOW`), checks the
   upload (`core.sheets.check_xlsx`), stashes it in the media storage and reads it with the
   rules (`FLOW.read(..., check_rules=True)`, the preview), signed in as the county's admin.
   With `--via page` the child posts the file to the upload page through Django's test client
   instead (the request as a user makes it: a big file may be handed to a background task,
   which is then not run). A child still running after --timeout seconds is killed;
4. prints per workbook: its size packed and unpacked, the wall-clock and CPU seconds from the
   upload to the answer (CPU seconds are the steadier figure on a shared machine; a killed
   child's are read from /proc), the child's peak resident memory (its high-water mark, Django
   included; the part above what Django set up takes as "(+)") and the outcome: refused with
   which message, or how many rows read;
5. prints one goal line per hostile workbook: answered, refused with its cause, in <= 10 s
   and <= 300 MB, judged on wall-clock and on CPU seconds.

The valid file is measured, not judged (big imports run as background tasks). The exit status
is 1 only when a workbook is not answered as it should be: a hostile one read as valid, or the
valid one refused.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import chain
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"
PG_NAME = "xw_bench_hostile"
SHEET_ROWS = 1_048_576  # Excel's last row
SHEET_XML = "xl/worksheets/sheet1.xml"
STRINGS_XML = "xl/sharedStrings.xml"
GOAL_SECONDS, GOAL_MB = 10.0, 300.0
# What the blank rows of the "blank" file add up to, unpacked (issue #11 found 390 MB).
BLANK_TARGET_MB = 390
HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


# --- Writing the workbooks -----------------------------------------------------------------


def column_letter(index: int) -> str:
    """A (0-based) column's letters: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class Strings:
    """The workbook's shared strings, as Excel keeps every text: a cell holds an index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> Iterator[str]:
        count = len(self.index)
        yield (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns='
            f'"http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}"'
            f' uniqueCount="{count}">'
        )
        for text in self.index:  # in the order of their indexes
            yield f"<si><t>{escape(text)}</t></si>"
        yield "</sst>"


def row_xml(strings: Strings, number: int, values: list[Any]) -> str:
    """One <row>: text as shared strings, numbers as numbers, None left out."""
    cells = []
    for i, value in enumerate(values):
        ref = f"{column_letter(i)}{number}"
        if value is None:
            continue
        if isinstance(value, int | float):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="s"><v>{strings(str(value))}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


BLANK_CELL = '<c s="1"/>'  # a cell may leave out its reference: it is the row's next one


def blank_row_xml(number: int, width: int) -> str:
    """A row of `width` cells styled but empty: what dragging a format down leaves."""
    return f'<row r="{number}" spans="1:{width}">{BLANK_CELL * width}</row>'


def write_book(
    path: Path, title: str, rows: Iterator[str], dimension: str | None, strings: Strings
) -> None:
    """An .xlsx whose sheet `title` holds `rows` (XML), streamed into the zip, with the
    `strings` they refer to (filled as the rows are made).

    openpyxl writes every other part (with a bold cell, so that style 1 exists), then the
    sheet's XML and the strings are ours."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    base = path.with_suffix(".base.xlsx")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet["A1"].font = Font(bold=True)
    book.save(base)
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename not in (SHEET_XML, STRINGS_XML):
                out.writestr(info, declare_strings(info.filename, source.read(info)))
        opening = HEAD + (f'<dimension ref="{dimension}"/>' if dimension else "") + "<sheetData>"
        stream(out, SHEET_XML, chain([opening], rows, ["</sheetData></worksheet>"]))
        stream(out, STRINGS_XML, strings.xml())
    base.unlink()


STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def declare_strings(name: str, data: bytes) -> bytes:
    """The part `name`, naming the shared strings where a workbook must (openpyxl leaves
    them out of a workbook it wrote without any)."""
    text = data.decode()
    if name == "[Content_Types].xml" and "sharedStrings" not in text:
        declared = f'<Override PartName="/{STRINGS_XML}" ContentType="{STRINGS_TYPE}"/></Types>'
        text = text.replace("</Types>", declared)
    elif name == "xl/_rels/workbook.xml.rels" and "sharedStrings" not in text:
        declared = f'<Relationship Type="{STRINGS_REL}" Target="sharedStrings.xml" Id="rIdS"/>'
        text = text.replace("</Relationships>", declared + "</Relationships>")
    else:
        return data
    return text.encode()


def stream(archive: zipfile.ZipFile, name: str, parts: Iterable[str]) -> None:
    """Write a member of the zip from many small pieces, a chunk at a time."""
    with archive.open(name, "w", force_zip64=True) as member:
        chunk: list[str] = []
        for piece in parts:
            chunk.append(piece)
            if len(chunk) >= 2000:
                member.write("".join(chunk).encode())
                chunk = []
        member.write("".join(chunk).encode())


@dataclass(frozen=True)
class Book:
    name: str
    hostile: bool
    what: str


def build_books(
    folder: Path, rows: int, facts: dict[str, Any], only: list[str] | None = None
) -> list[Book]:
    """The workbooks (those named in `only`, if given), in `folder` as <name>.xlsx, from the
    prepared database's facts."""
    headers: list[str] = facts["headers"]
    title: str = facts["sheet_title"]
    villages: list[list[str]] = facts["villages"]
    types: list[str] = facts["types"]
    blank_run_max: int = facts["blank_run_max"]
    width = len(headers)
    last = column_letter(width - 1)

    def valid_row(i: int) -> list[Any]:
        code, name = villages[i % len(villages)]
        start = date(2025, 1, 1) + timedelta(days=(i * 7) % 365)
        by_key = {
            "单位代码": code,
            "单位名称(可选)": name if i % 2 else None,
            "活动类型": types[i % len(types)],
            "活动名称": f"{name}文化活动第{i + 1}期",
            "开始日期": start.isoformat(),
            "结束日期": (start + timedelta(days=i % 3)).isoformat(),
            "地点": "文化礼堂",
            "主办单位": f"{name}村委会",
            "联办单位": "街道文化站" if i % 4 == 0 else None,
            "参与人数": 10 + i % 90,
            "观众人数": 50 + (i * 13) % 950,
            "经费（元）": round((i % 50) * 37.5, 2) if i % 5 else None,
            "经费来源": "自筹" if i % 5 else None,
            "内容简介": "群众喜闻乐见，反响良好。" if i % 3 == 0 else None,
        }
        return [by_key.get(h) for h in headers]

    def invalid_row(i: int) -> list[Any]:
        row = valid_row(i)
        wrong = {"单位代码": "999999999999", "活动类型": "没有这种类型", "开始日期": "2025-13-45"}
        return [wrong.get(h, value) for h, value in zip(headers, row, strict=True)]

    def dimension_rows(strings: Strings) -> Iterator[str]:
        yield row_xml(strings, 1, list(headers))
        yield row_xml(strings, SHEET_ROWS, ["x"])

    # Every row Excel has below the data, as wide as it takes to make BLANK_TARGET_MB.
    blank_count = SHEET_ROWS - 2
    per_row = BLANK_TARGET_MB * 1024 * 1024 // blank_count - len(blank_row_xml(SHEET_ROWS, 0))
    blank_width = max(width, per_row // len(BLANK_CELL))

    def blank_rows(every: int | None) -> Callable[[Strings], Iterator[str]]:
        def rows_(strings: Strings) -> Iterator[str]:
            yield row_xml(strings, 1, list(headers))
            yield row_xml(strings, 2, valid_row(0))
            for number in range(3, 3 + blank_count):
                if every and (number - 2) % every == 0:
                    yield row_xml(strings, number, valid_row(number))
                else:
                    yield blank_row_xml(number, blank_width)

        return rows_

    def sheet_rows(make: Callable[[int], list[Any]]) -> Callable[[Strings], Iterator[str]]:
        def rows_(strings: Strings) -> Iterator[str]:
            yield row_xml(strings, 1, list(headers))
            for i in range(rows):
                yield row_xml(strings, i + 2, make(i))

        return rows_

    plans: list[tuple[Book, Callable[[Strings], Iterator[str]], str | None]] = [
        (
            Book("dimension", True, "declares A1:XFD1048576, one cell in row 1,048,576"),
            dimension_rows,
            "A1:XFD1048576",
        ),
        (
            Book("blank", True, f"{blank_count:,} blank rows of {blank_width} styled cells"),
            blank_rows(None),
            None,
        ),
        (
            Book("blank-runs", True, f"the same, a data row every {blank_run_max - 1} rows"),
            blank_rows(blank_run_max - 1),
            None,
        ),
        (
            Book("invalid", True, f"{rows:,} rows, every one wrong"),
            sheet_rows(invalid_row),
            f"A1:{last}{rows + 1}",
        ),
        (
            Book("valid", False, f"{rows:,} good activities"),
            sheet_rows(valid_row),
            f"A1:{last}{rows + 1}",
        ),
    ]
    books = []
    for book, make_rows, dimension in plans:
        if only and book.name not in only:
            continue
        started = time.perf_counter()
        strings = Strings()
        write_book(folder / f"{book.name}.xlsx", title, make_rows(strings), dimension, strings)
        print(f"  wrote {book.name}.xlsx in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        books.append(book)
    return books


# --- The children --------------------------------------------------------------------------


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanwen.settings")
    os.environ["DEBUG"] = "0"  # as in production: no query log growing with every row
    os.environ.setdefault("SECRET_KEY", "bench-hostile-imports-not-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


def child_prepare(folder: Path) -> dict[str, Any]:
    """Migrate the scratch database, load the demo county and its users; the facts the
    workbooks need."""
    setup()
    from django.core.management import call_command

    from xuanwen.activities.excel import COLUMNS, SHEET_TITLE
    from xuanwen.activities.models import ActivityType
    from xuanwen.core import sheets
    from xuanwen.demo.county import DEMO_COUNTY, demo_load
    from xuanwen.units.models import Unit

    call_command("migrate", verbosity=0, interactive=False)
    demo_load()
    villages = (
        Unit.objects.filter(code__startswith=DEMO_COUNTY, code__regex=r"^\d{12}$")
        .order_by("code")
        .values_list("code", "name")
    )
    return {
        "headers": [c.header for c in COLUMNS],
        "sheet_title": SHEET_TITLE,
        "villages": [list(v) for v in villages],
        "types": list(ActivityType.objects.filter(active=True).values_list("name", flat=True)),
        "blank_run_max": sheets.BLANK_RUN_MAX,
    }


def peak_mb() -> float:
    """This process's peak resident memory so far (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def mark_start(path: Path) -> tuple[float, float]:
    """The clocks at the upload, also left beside the workbook (<name>.started), so that the
    parent can tell what a child it has to kill spent on the upload alone."""
    wall, cpu = time.perf_counter(), time.process_time()
    started_file(path).write_text(json.dumps({"at": time.time(), "cpu": cpu}))
    return wall, cpu


def started_file(path: Path) -> Path:
    return path.with_suffix(".started")


def outcome_of(problems: list[Any], total: int, rows: int) -> tuple[str, bool]:
    """What the preview said: the first problem and how many there are, or the rows read."""
    if problems:
        more = f" (+{total - 1:,} more problems)" if total > 1 else ""
        return f"refused: {problems[0]}{more}", True
    return f"read {rows:,} rows", False


def child_read(path: Path, via: str) -> dict[str, Any]:
    """Answer one upload as the import page does, timed; the outcome and the peaks."""
    setup()
    from django.core.exceptions import ValidationError
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import UploadedFile
    from django.utils import translation

    from xuanwen.accounts.models import User
    from xuanwen.activities.views_excel import FLOW
    from xuanwen.core import sheets
    from xuanwen.core.imports import stash

    translation.activate("zh-hans")
    user = User.objects.get(username="admin")
    if via == "page":
        return child_page(path, user)
    base = peak_mb()
    started, cpu = mark_start(path)
    rows = 0
    with open(path, "rb") as handle:
        upload = UploadedFile(handle, name=path.name, size=path.stat().st_size)
        try:
            sheets.check_xlsx(upload)
        except ValidationError as exc:
            outcome, refused = f"refused at upload: {'；'.join(exc.messages)}", True
        else:
            stored = stash(upload)
            try:
                with default_storage.open(stored, "rb") as source:
                    result = FLOW.read(source, user=user, check_rules=True)
            finally:
                default_storage.delete(stored)
            rows = len(result.rows)
            outcome, refused = outcome_of(result.problems, len(result.problems), rows)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "peak_mb": peak_mb(),
        "base_mb": base,
        "outcome": outcome,
        "refused": refused,
        "rows": 0 if refused else rows,
    }


def child_page(path: Path, user: Any) -> dict[str, Any]:
    """Post the file to the activities' upload page through the test client."""
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()  # the client then keeps the page's context
    client = Client()
    client.force_login(user)
    base = peak_mb()
    started, cpu = mark_start(path)
    with open(path, "rb") as handle:
        response = client.post(reverse("activities:import"), {"file": handle})
    seconds = time.perf_counter() - started
    rows = 0
    if response.status_code == 302:
        outcome, refused = f"handed on: 302 to {response['Location']}", False
    elif response.status_code != 200 or response.context is None:
        outcome, refused = f"answered {response.status_code}", False
    elif response.context.get("error"):
        outcome, refused = f"refused at upload: {response.context['error']}", True
    else:
        shown = list(response.context.get("problems_shown") or [])
        total = len(shown) + int(response.context.get("problems_hidden") or 0)
        rows = int(response.context.get("total") or 0)
        outcome, refused = outcome_of(shown, total, rows)
    return {
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "peak_mb": peak_mb(),
        "base_mb": base,
        "outcome": outcome,
        "refused": refused,
        "rows": 0 if refused else rows,
    }


# --- The parent ----------------------------------------------------------------------------


def high_water_mb(pid: int) -> float | None:
    """A running process's peak resident memory (Linux's VmHWM), None if unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """A running process's CPU seconds (user and system, from /proc), None if unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


@dataclass
class Killed:
    """What is known of a child killed at the timeout: since the upload, if it got there."""

    wall: float
    cpu: float | None
    peak_mb: float


def run_child(
    args: list[str], timeout: float, upload: Path | None = None
) -> tuple[dict[str, Any] | None, float, Killed | None]:
    """Run this script as a child: its JSON answer (None if it failed or was killed), its
    last known peak memory, and what it had spent when it was killed (else None). With
    `upload`, the timeout counts from the child's start of the upload (see mark_start)."""
    command = [sys.executable, __file__, *args]
    started = time.time()
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
        peak, cpu = 0.0, None
        while child.poll() is None:
            peak = max(peak, high_water_mb(child.pid) or 0.0)
            cpu = cpu_seconds(child.pid)
            mark = started_file(upload) if upload else None
            since = json.loads(mark.read_text()) if mark and mark.exists() else None
            if time.time() - (since["at"] if since else started) > timeout:
                child.kill()
                child.wait()
                wall = time.time() - (since["at"] if since else started)
                spent = cpu - since["cpu"] if cpu is not None and since else None
                return None, peak, Killed(wall, spent, peak)
            time.sleep(0.1)
        output = child.stdout.read() if child.stdout else ""
    lines = output.strip().splitlines()
    answer = json.loads(lines[-1]) if child.returncode == 0 and lines else None
    return answer, peak, None


def prepare_database(db: str, folder: Path) -> None:
    """Point the children at a fresh scratch database."""
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    if db == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(folder / "bench.sqlite3")
        return
    import psycopg

    with psycopg.connect(PG_URL.format(name="postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}"')
        conn.execute(f'CREATE DATABASE "{PG_NAME}"')
    os.environ["DATABASE_URL"] = PG_URL.format(name=PG_NAME)


def drop_database(db: str) -> None:
    if db != "postgres":
        return
    import psycopg

    with psycopg.connect(PG_URL.format(name="postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}"')


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the N-row files")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    via = "the preview's read path (default) or the whole upload page"
    parser.add_argument("--via", choices=("read", "page"), default="read", help=via)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a kill")
    parser.add_argument("--only", nargs="*", help="only these workbooks (by name)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        step, target = args.child
        if step == "prepare":
            print(json.dumps(child_prepare(Path(target))))
        else:
            print(json.dumps(child_read(Path(target), step)))
        return 0

    folder = Path(tempfile.mkdtemp(prefix="xuanwen-hostile-"))
    try:
        return bench(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        drop_database(args.db)


def bench(args: argparse.Namespace, folder: Path) -> int:
    prepare_database(args.db, folder)
    print(f"hostile imports — {args.db}, {args.rows:,}-row files, via the {args.via} path")
    started = time.perf_counter()
    facts, _peak, _killed = run_child(["--child", "prepare", str(folder)], timeout=900)
    if facts is None:
        print("WRONG: the scratch database could not be prepared")
        return 1
    print(f"  database prepared in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    books = build_books(folder, args.rows, facts, args.only)
    print(f"\nload average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    print(f"{'workbook':<11} {'file':>8} {'unpacked':>9} {'wall s':>7} {'CPU s':>7} "
          f"{'peak MB':>8} {'(+)':>5}  outcome")  # fmt: skip
    failed = False
    goals = []
    for book in books:
        path = folder / f"{book.name}.xlsx"
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
        answer, polled, killed = run_child(
            ["--child", args.via, str(path)], args.timeout, upload=path
        )
        if answer is None:
            wall, cpu = (killed.wall, killed.cpu) if killed else (0.0, None)
            peak, grown, refused = polled, "", False
            outcome = f"no answer: killed after {wall:.0f} s" if killed else "the child failed"
        else:
            wall, cpu, peak = answer["seconds"], answer["cpu"], max(answer["peak_mb"], polled)
            grown = f"{answer['peak_mb'] - answer['base_mb']:+5.0f}"
            outcome, refused = answer["outcome"], answer["refused"]
            # A hostile file read as valid, or the valid file refused, is wrong.
            failed = failed or refused != book.hostile
        cpu_text = f"{cpu:7.2f}" if cpu is not None else "      -"
        print(
            f"{book.name:<11} {size(path.stat().st_size):>8} {size(unpacked):>9} {wall:7.2f} "
            f"{cpu_text} {peak:8.0f} {grown:>5}  {outcome}",
            flush=True,
        )
        figures = f"{wall:.1f} s ({cpu_text.strip()} s CPU), {peak:.0f} MB"
        if book.hostile:
            small = peak <= GOAL_MB and refused
            goals.append(
                f"goal: hostile files answered in <= {GOAL_SECONDS:.0f} s and <= {GOAL_MB:.0f} MB"
                f"  {book.name} ({book.what}): {figures},"
                f" {'refused' if refused else 'NOT refused'}"
                f"  {verdict(small and wall <= GOAL_SECONDS)} (wall)"
                f"  {verdict(small and cpu is not None and cpu <= GOAL_SECONDS)} (CPU)"
            )
        else:
            goals.append(
                f"info: valid file ({book.what}): {figures}, {outcome}"
                " (measured only; big imports run as background tasks)"
            )
    print(f"load average after: {os.getloadavg()[0]:.1f}\n")
    for line in goals:
        print(line)
    return 1 if failed else 0


def size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{n / 1024:.1f} KB"


if __name__ == "__main__":
    sys.exit(main())
