"""Making activities for indicator and plan tests, through the activities service."""

from datetime import date
from typing import Any

from xuanwen.accounts.models import User
from xuanwen.activities.models import Activity, ActivityType
from xuanwen.activities.services import ActivityData, activity_create
from xuanwen.units.models import Unit


def robot() -> User:
    """A superuser who may write anywhere, for setting up records in any county."""
    user, _ = User.objects.get_or_create(username="robot", defaults={"is_superuser": True})
    return user


def make_activity(
    unit_code: str,
    type_name: str = "培训",
    start: date = date(2026, 3, 10),
    end: date | None = None,
    *,
    user: Any = None,
    title: str = "",
    **fields: Any,
) -> Activity:
    kind = ActivityType.objects.get(name=type_name)
    unit = Unit.objects.get(code=unit_code)
    n = Activity.all_objects.count() + 1
    data = ActivityData(
        unit=unit,
        type=kind,
        title=title or f"{type_name}{n}",
        start_date=start,
        end_date=end or start,
        **fields,
    )
    return activity_create(user=user or robot(), data=data, audit=False)
