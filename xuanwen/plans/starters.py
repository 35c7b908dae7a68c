"""Shipped plan templates (计划模板): JSON files in plans/data/, one per kind of unit and plan.

An item's indicator is written either as a code ("activities.count") or, for the activity
types whose ids differ between installations, as {"activity_type": "培训"}. Deadlines are
"MM-DD" in the plan's year.
"""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from xuanwen.activities.models import ActivityType

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Starter:
    """A plan template as shipped: its key, name, plan kind and raw content."""

    key: str
    name: str
    kind: str
    content: dict[str, Any]


@cache
def starters() -> dict[str, Starter]:
    """The shipped templates by key (read once per process)."""
    out = {}
    for path in sorted(DATA_DIR.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        out[raw["key"]] = Starter(key=raw["key"], name=raw["name"], kind=raw["kind"], content=raw)
    return out


def _indicator_code(spec: Any, types: dict[str, int]) -> str:
    if isinstance(spec, dict) and "activity_type" in spec:
        type_id = types.get(spec["activity_type"])
        # A type an admin renamed or removed leaves the item without an indicator, not broken.
        return f"activities.type.{type_id}" if type_id else ""
    return str(spec or "")


def _deadline(text: str | None, year: int) -> date | None:
    if not text:
        return None
    month, day = (int(x) for x in text.split("-"))
    return date(year, month, day)


def starter_content(starter: Starter, *, year: int, unit_name: str) -> dict[str, Any]:
    """Title, preamble and sections (as plain dicts) of the template filled in for a plan."""
    types = dict(ActivityType.objects.values_list("name", "pk"))
    fill = {"year": year, "unit": unit_name}
    raw = starter.content
    return {
        "title": raw["title"].format(**fill),
        "preamble": raw.get("preamble", "").format(**fill),
        "sections": [
            {
                "title": s["title"],
                "item_style": s.get("item_style", "arabic"),
                "items": [
                    {
                        "text": i["text"],
                        "indicator": _indicator_code(i.get("indicator"), types),
                        "target_min": _decimal(i.get("target_min")),
                        "target_max": _decimal(i.get("target_max")),
                        "deadline": _deadline(i.get("deadline"), year),
                        "owner": i.get("owner", ""),
                    }
                    for i in s.get("items", [])
                ],
            }
            for s in raw["sections"]
        ],
    }


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
