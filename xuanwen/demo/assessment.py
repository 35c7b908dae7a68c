"""The demo county's year-end assessment: this year's scheme of its townships, scored from
the demo records and published, with a bonus for 古城街道 (its evidence a small photo), so that
`make run` shows the scheme, the ranking, a breakdown with its links and the home card."""

import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xuanwen.activities.models import ActivityType
from xuanwen.assessment import services as assessment
from xuanwen.assessment.models import Grade, ItemRule
from xuanwen.units.models import Level, Unit


def _evidence() -> SimpleUploadedFile:
    image = Image.new("RGB", (320, 200), (160, 30, 30))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return SimpleUploadedFile("表彰通知.jpg", out.getvalue(), content_type="image/jpeg")


def demo_assessment(today: date, township: Unit, supervisor: Any) -> str:
    types = dict(ActivityType.objects.values_list("name", "pk"))
    item = assessment.ItemData
    items = [
        item("举办培训（每年 4 期）", f"activities.type.{types['培训']}", ItemRule.PROPORTIONAL,
             Decimal(20), target=Decimal(4)),
        item("开展文化活动（每年 6 次以上）", "activities.count", ItemRule.THRESHOLD, Decimal(20),
             target=Decimal(6)),
        item("文艺演出（每场 5 分）", f"activities.type.{types['文艺演出']}",
             ItemRule.PER_OCCURRENCE, Decimal(20), per=Decimal(5)),
        item("阵地开放达标率", "opening.compliance_rate", ItemRule.PROPORTIONAL, Decimal(20),
             target=Decimal(100)),
        item("按时上报（逾期一次扣 2 分）", "reporting.late", ItemRule.DEDUCTION, Decimal(10),
             per=Decimal(2)),
        item("常规工作（逾期未做一期扣 1 分）", "duties.overdue_periods", ItemRule.DEDUCTION,
             Decimal(10), per=Decimal(1)),
    ]  # fmt: skip
    rewards = [
        assessment.RewardData(grade=Grade.EXCELLENT, amount=Decimal(5000), title="先进综合文化站"),
        assessment.RewardData(grade=Grade.GOOD, amount=Decimal(3000)),
        assessment.RewardData(grade=Grade.PASS, amount=Decimal(1000)),
        assessment.RewardData(grade=Grade.FAIL, title="限期整改"),
    ]
    scheme = assessment.scheme_create(
        user=supervisor,
        data=assessment.SchemeData(
            owner=Unit.objects.get(code=township.code[:6]),
            name=f"{today.year}年乡镇综合文化站考核",
            year=today.year,
            level=Level.TOWNSHIP,
            items=items,
            rewards=rewards,
        ),
    )
    assessment.adjustment_add(
        user=supervisor,
        scheme=scheme,
        data=assessment.AdjustmentData(
            unit=township, points=Decimal(3), reason="获市级文化工作表彰"
        ),
        evidence=_evidence(),
    )
    run = assessment.score_request(user=supervisor, scheme=scheme, background=False)
    assessment.run_publish(user=supervisor, run=run)
    return f"考核方案 1 个（{len(items)} 项），已计算并发布 {run.results.count()} 个乡镇的结果"
