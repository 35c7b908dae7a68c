"""Time a township's year-end summary against python-docx writing a blank document of the
same number of paragraphs, in the same run.

    .venv/bin/python bench/documents.py              # 5 repeats
    .venv/bin/python bench/documents.py --repeat 10

It makes a fresh temporary SQLite database (SQLITE_PATH, set before django.setup()), migrates
it and loads the demo county (`xuanwen demo`: 临海市 with a year of records), then times, best
of --repeat:

1. the baseline: python-docx writing a document of as many paragraphs as the summary has;
2. one township's summary as the .docx download makes it: the facts from the indicators and
   records, the sentences, the template rendered by docxtpl (古城街道, the demo's staff unit);
3. the county's townships into one .zip as the background task makes it
   (documents.jobs.build_zip: each township's summary in the template it uses, the county's
   statistics tables), in this process: the task's work without the queue.

It prints the best wall-clock seconds of each and the goal line: one summary ≤ 1 s and ≤ 5×
the blank document, PASS or MISS. Nothing asserts on time.
"""

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 1.0
GOAL_RATIO = 5.0


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    folder = tempfile.mkdtemp(prefix="xuanwen-bench-docs-")
    os.environ["SQLITE_PATH"] = str(Path(folder) / "bench.sqlite3")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanwen.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from docx import Document

    call_command("migrate", verbosity=0, interactive=False)
    with contextlib.redirect_stdout(io.StringIO()):  # the demo's logins, not wanted here
        call_command("demo", verbosity=0)

    from xuanwen.core import clock
    from xuanwen.demo.county import DEMO_COUNTY
    from xuanwen.documents.facts import summary_facts
    from xuanwen.documents.files import docx_bytes
    from xuanwen.documents.jobs import build_zip
    from xuanwen.documents.writing import summary_text
    from xuanwen.indicators.periods import year_period
    from xuanwen.units.models import Unit

    period = year_period(clock.today().year)
    township = Unit.objects.get(code=f"{DEMO_COUNTY}001")
    county = Unit.objects.get(code=DEMO_COUNTY)
    townships = Unit.objects.filter(parent_id=DEMO_COUNTY).count()

    def summary(unit: Unit) -> bytes:
        return docx_bytes(summary_text(summary_facts(unit, period, clock.today())))

    paragraphs = summary_text(summary_facts(township, period, clock.today())).paragraphs()

    def blank() -> bytes:
        doc = Document()
        for text in paragraphs:
            doc.add_paragraph(text)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()

    sizes: list[int] = []

    def county_zip() -> None:
        with build_zip(county, period) as made, zipfile.ZipFile(made) as archive:
            sizes[:] = [len(archive.namelist()), made.seek(0, 2)]

    base = best(blank, args.repeat)
    one = best(lambda: summary(township), args.repeat)
    many = best(county_zip, max(1, args.repeat // 2))
    print(f"paragraphs in the summary: {len(paragraphs)}; townships: {townships}")
    print(f"blank document (python-docx)  {base:8.3f} s")
    print(f"one township's summary        {one:8.3f} s  ({one / base:.1f}× blank)")
    print(
        f"the county's {townships} as a zip        {many:8.3f} s  "
        f"({many / townships:.3f} s a township; {sizes[0]} files, {sizes[1] // 1024} KB)"
    )
    passed = one <= GOAL_SECONDS and one <= GOAL_RATIO * base
    print(
        f"goal: one summary ≤ {GOAL_SECONDS:g} s and ≤ {GOAL_RATIO:g}× the blank document: "
        f"{'PASS' if passed else 'MISS'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
