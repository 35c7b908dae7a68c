"""A county's township scheme and the records it scores, for the assessment tests."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from xuanwen.accounts.models import User
from xuanwen.activities.models import ActivityType
from xuanwen.activities.tests.helpers import image_bytes, make_activity
from xuanwen.assessment import services
from xuanwen.assessment.models import ItemRule, Scheme
from xuanwen.reporting.models import ReportSet, Submission, SubmissionStatus
from xuanwen.units.models import Level, Unit


def type_code(name: str) -> str:
    return f"activities.type.{ActivityType.objects.get(name=name).pk}"


def four_rules() -> list[services.ItemData]:
    """培训 proportional (target 4, 20 points), all activities threshold (5, 10 points),
    performances per occurrence (3 each, up to 10), late reports deducted (2 each off 10)."""
    return [
        services.ItemData("举办培训", type_code("培训"), ItemRule.PROPORTIONAL, Decimal(20),
                          target=Decimal(4)),
        services.ItemData("活动总数达标", "activities.count", ItemRule.THRESHOLD, Decimal(10),
                          target=Decimal(5)),
        services.ItemData("文艺演出", type_code("文艺演出"), ItemRule.PER_OCCURRENCE, Decimal(10),
                          per=Decimal(3)),
        services.ItemData("按时上报", "reporting.late", ItemRule.DEDUCTION, Decimal(10),
                          per=Decimal(2)),
    ]  # fmt: skip


def make_scheme(user: User, items: list[services.ItemData] | None = None, **fields: Any) -> Scheme:
    values: dict[str, Any] = {
        "owner": user.unit,
        "name": "2026年乡镇综合文化站考核",
        "year": 2026,
        "level": Level.TOWNSHIP,
        "items": items if items is not None else four_rules(),
    }
    values.update(fields)
    return services.scheme_create(user=user, data=services.SchemeData(**values))


def trainings(code: str, count: int, day: date = date(2026, 3, 10)) -> list[Any]:
    kind = ActivityType.objects.get(name="培训")
    return [
        make_activity(code, type=kind, title=f"培训{code[-3:]}-{i}", start_date=day, end_date=day)
        for i in range(count)
    ]


def late_report(code: str, month: int = 5) -> Submission:
    owner = Unit.objects.get(code=code[:6])
    report_set, _ = ReportSet.objects.get_or_create(
        owner=owner,
        name="月报",
        defaults={"levels": [Level.TOWNSHIP], "indicators": ["activities.count"]},
    )
    start = date(2026, month, 1)
    return Submission.objects.create(
        report_set=report_set,
        unit_id=code,
        period_key=f"2026-{month:02d}",
        period_start=start,
        period_end=date(2026, month, 28),
        status=SubmissionStatus.SUBMITTED,
        submitted_at=datetime(2026, month + 1, 25, tzinfo=UTC),
        on_time=False,
    )


def evidence(name: str = "表彰文件.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(), content_type="image/jpeg")
