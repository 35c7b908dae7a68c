"""Making activities and small files for the activity page tests."""

import io
from datetime import date
from typing import Any

from PIL import Image

from xuanwen.activities import counts
from xuanwen.activities.models import Activity, ActivityType
from xuanwen.records.tests.make import searchable

_counter = iter(range(1, 1_000_000))


def make_activity(unit_code: str, **fields: Any) -> Activity:
    """An activity straight in the database (setup only; the pages under test use services)."""
    n = next(_counter)
    title = fields.pop("title", f"文艺演出{n}")
    values: dict[str, Any] = {
        "unit_id": unit_code,
        "type": ActivityType.objects.get(name="文艺演出"),
        "title": title,
        "start_date": date(2026, 2, 10),
        "end_date": fields.get("start_date", date(2026, 2, 10)),
        "place": "文化广场",
        "search_pinyin": searchable(title),
    }
    values.update(fields)
    activity = Activity.objects.create(**values)
    counts.added(activity)  # as the services keep the list's counters
    return activity


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 32), exif: Any = None) -> bytes:
    image = Image.new("RGB" if fmt == "JPEG" else "RGBA", size, (200, 30, 30))
    out = io.BytesIO()
    if exif is not None:
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()
