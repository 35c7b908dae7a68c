"""A county of 19 townships and its monthly report set, for the reporting tests."""

from typing import Any

from xuanwen.accounts.models import User
from xuanwen.indicators.periods import Period
from xuanwen.reporting import services
from xuanwen.reporting.models import ReportSet, Submission
from xuanwen.testing import Tree, make_tree
from xuanwen.units.models import Level, Unit

INDICATORS = ["activities.count", "activities.audience", "activities.participants", "opening.days"]


def more_townships(count: int, first: int = 3) -> list[Unit]:
    """Townships 003… of the test county, beside its A (001) and B (002)."""
    rows = [(f"{Tree.COUNTY}{n:03d}", f"第{n}镇") for n in range(first, first + count)]
    return list(make_tree(rows).values())


def monthly_set(owner: User, **fields: Any) -> ReportSet:
    """The county's monthly report of its townships, deadline the 10th."""
    values: dict[str, Any] = {
        "owner": owner.unit,
        "name": "乡镇文化站月报",
        "levels": [Level.TOWNSHIP],
        "deadline_days": 10,
        "indicators": INDICATORS,
    }
    values.update(fields)
    return services.report_set_create(user=owner, data=services.ReportSetData(**values))


def submit(user: User, report_set: ReportSet, code: str, period: Period) -> Submission:
    return services.submission_submit(
        user=user, report_set=report_set, unit=Unit.objects.get(code=code), period=period
    )
