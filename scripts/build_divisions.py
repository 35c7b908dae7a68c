"""Build xuanwen/units/data/divisions.tsv.xz from the china-division CSV files.

Run once when the source data changes:

    python scripts/build_divisions.py PATH/TO/china-division

It joins the five level files into one file sorted by code, checks that every code's parent
(its prefix) exists, and adds full pinyin and pinyin initials, computed with pypinyin's
phrase dictionary so that polyphonic characters are read in context (长安 → chang'an). Doing
this at build time keeps `xuanwen units import --all` free of the pinyin cost.
"""

import csv
import io
import lzma
import sys
from pathlib import Path

from xuanwen.core.text import pinyin_of

FILES = ["provinces", "cities", "areas", "streets", "villages"]
PARENT_LEN = {2: 0, 4: 2, 6: 4, 9: 6, 12: 9}
OUT = Path(__file__).resolve().parent.parent / "xuanwen" / "units" / "data" / "divisions.tsv.xz"


def main(source: Path) -> None:
    rows: dict[str, str] = {}
    for stem in FILES:
        with lzma.open(source / f"{stem}.csv.xz", "rt", encoding="utf-8") as fh:
            for record in csv.DictReader(fh):
                rows[record["code"]] = record["name"].strip()
    for code in rows:
        parent_len = PARENT_LEN[len(code)]
        if parent_len and code[:parent_len] not in rows:
            raise SystemExit(f"{code} has no parent {code[:parent_len]}")
    buf = io.StringIO()
    for code in sorted(rows):
        name = rows[code]
        full, initials = pinyin_of(name)
        buf.write(f"{code}\t{name}\t{full}\t{initials}\n")
    OUT.write_bytes(lzma.compress(buf.getvalue().encode("utf-8"), preset=9 | lzma.PRESET_EXTREME))
    print(f"{len(rows)} units written to {OUT.name} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
