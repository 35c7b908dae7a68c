"""The reporting API: report sets (list, create, update), submissions (list, submit, approve,
return, unlock) and completeness. Reads are scoped like the pages (another unit's ids: 404);
writes are the services'."""

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock, tree
from xuanwen.indicators.periods import Period, parse_period
from xuanwen.records.schemas import Id
from xuanwen.units.models import Unit
from xuanwen.units.selectors import get_unit_for_user

from . import selectors, services
from .models import MAX_DAYS, MAX_INDICATORS, ReportSet, Submission, SubmissionStatus

router = Router(tags=["reporting 上报"])

Code = Annotated[str, Field(max_length=12)]
PeriodKey = Annotated[str, Field(max_length=24, description="2026-03、2026-Q1、2026-H1、2026")]
Reason = Annotated[str, Field(max_length=500)]
LIST_MAX = 500  # submissions a list returns at most


class ReportSetIn(Schema):
    owner: Code
    name: Annotated[str, Field(max_length=100)]
    levels: Annotated[list[Annotated[int, Field(ge=1, le=5)]], Field(max_length=5)] = Field(
        description="上报单位层级：1 省 2 市 3 县 4 乡镇街道 5 村社区"
    )
    frequency: Annotated[str, Field(max_length=10)] = "month"
    deadline_days: Annotated[int, Field(ge=0, le=MAX_DAYS)] = 10
    lock_days: Annotated[int, Field(ge=0, le=MAX_DAYS)] = 0
    indicators: Annotated[
        list[Annotated[str, Field(max_length=100)]], Field(max_length=MAX_INDICATORS)
    ]
    active: bool = True


class ReportSetOut(Schema):
    id: int
    owner: str = Field(alias="owner_id")
    owner_name: str = Field(alias="owner.name")
    name: str
    levels: list[int]
    frequency: str
    deadline_days: int
    lock_days: int
    indicators: list[str]
    active: bool


class SubmissionOut(Schema):
    id: int
    report_set: int = Field(alias="report_set_id")
    unit: str = Field(alias="unit_id")
    unit_name: str = Field(alias="unit.name")
    period: str = Field(alias="period_key")
    period_label: str = Field(alias="period.label")
    status: str
    submitted_at: datetime | None
    on_time: bool | None
    approved_at: datetime | None
    return_reason: str
    values: dict[str, Any]
    warnings: list[str]

    @staticmethod
    def resolve_warnings(obj: Submission) -> list[str]:
        return [w.message for w in obj.warnings.all()]


class SubmitIn(Schema):
    unit: Code
    period: PeriodKey


class ReasonIn(Schema):
    reason: Reason


class SubmissionFilter(Schema):
    report_set: Id | None = None
    unit: Code | None = None
    period: PeriodKey | None = None
    status: Annotated[str, Field(max_length=10)] | None = None


class CompletenessTallyOut(Schema):
    expected: int
    received: int
    on_time: int
    late: int
    missing: int = Field(alias="missing_count")
    missing_units: list[str]

    @staticmethod
    def resolve_missing_units(obj: selectors.Tally) -> list[str]:
        return [u.name for u in obj.missing]


class CompletenessRowOut(Schema):
    unit: str
    unit_name: str
    own: bool
    tally: CompletenessTallyOut


class CompletenessOut(Schema):
    report_set: int
    unit: str
    period: str
    period_label: str
    deadline: str
    total: CompletenessTallyOut
    rows: list[CompletenessRowOut]


def _period(key: str) -> Period:
    try:
        return parse_period(key)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc


def _data(request: HttpRequest, payload: ReportSetIn) -> services.ReportSetData:
    user = request_user(request)
    values = payload.dict()
    values["owner"] = get_unit_for_user(user, payload.owner)
    return services.ReportSetData(**values)


@router.get(
    "sets/", response=list[ReportSetOut], summary="报表列表（本单位及下级设置的、本单位应报的）"
)
def report_set_list(request: HttpRequest) -> list[ReportSet]:
    return list(selectors.report_sets_for(request_user(request)))


@router.post("sets/", response={201: ReportSetOut}, summary="新建报表（主管单位）")
def report_set_create(request: HttpRequest, payload: ReportSetIn) -> Status[ReportSet]:
    user = request_user(request)
    return Status(201, services.report_set_create(user=user, data=_data(request, payload)))


@router.put("sets/{int:set_id}/", response=ReportSetOut, summary="修改报表")
def report_set_update(request: HttpRequest, set_id: int, payload: ReportSetIn) -> ReportSet:
    user = request_user(request)
    report_set = selectors.get_report_set_for_user(user, set_id)
    return services.report_set_update(
        user=user, report_set=report_set, data=_data(request, payload)
    )


@router.get(
    "sets/{int:set_id}/completeness/",
    response=CompletenessOut,
    summary="上报完整性与及时性（应报、已收到、按时、逾期、未报，按下级单位）",
)
def completeness(
    request: HttpRequest, set_id: int, unit: Code, period: PeriodKey = ""
) -> dict[str, Any]:
    """`period` left out: the latest period that has ended."""
    user = request_user(request)
    report_set = selectors.get_report_set_for_user(user, set_id)
    where = get_unit_for_user(user, unit)
    asked = _period(period) if period else selectors.last_period(report_set, clock.today())
    result = selectors.completeness(report_set, where, asked)
    return {
        "report_set": report_set.pk,
        "unit": where.code,
        "period": result.period.key,
        "period_label": result.period.label,
        "deadline": result.deadline.isoformat(),
        "total": result.total,
        "rows": [
            {"unit": r.unit.code, "unit_name": r.unit.name, "own": r.own, "tally": r.tally}
            for r in result.rows
        ],
    }


@router.post("sets/{int:set_id}/submit/", response=SubmissionOut, summary="上报一个期间")
def submit(request: HttpRequest, set_id: int, payload: SubmitIn) -> Submission:
    user = request_user(request)
    report_set = selectors.get_report_set_for_user(user, set_id)
    unit: Unit = get_unit_for_user(user, payload.unit)
    return services.submission_submit(
        user=user, report_set=report_set, unit=unit, period=_period(payload.period)
    )


@router.get("submissions/", response=list[SubmissionOut], summary=f"上报列表（最多 {LIST_MAX} 条）")
def submission_list(request: HttpRequest, filters: Query[SubmissionFilter]) -> list[Submission]:
    user = request_user(request)
    qs = selectors.submissions_for(user).prefetch_related("warnings")
    if filters.report_set is not None:
        qs = qs.filter(report_set_id=filters.report_set)
    if filters.unit:
        qs = qs.filter(tree.subtree_q(get_unit_for_user(user, filters.unit).code, "unit_id"))
    if filters.period:
        qs = qs.filter(period_key=_period(filters.period).key)
    if filters.status and filters.status in SubmissionStatus.values:
        qs = qs.filter(status=filters.status)
    return list(qs.order_by("-period_start", "unit_id", "pk")[:LIST_MAX])


def _submission(request: HttpRequest, submission_id: int) -> Submission:
    return selectors.get_submission_for_user(request_user(request), submission_id)


@router.post(
    "submissions/{int:submission_id}/approve/", response=SubmissionOut, summary="批准（上级单位）"
)
def approve(request: HttpRequest, submission_id: int) -> Submission:
    submission = _submission(request, submission_id)
    return services.submission_approve(user=request_user(request), submission=submission)


@router.post(
    "submissions/{int:submission_id}/return/", response=SubmissionOut, summary="退回（须填写原因）"
)
def return_(request: HttpRequest, submission_id: int, payload: ReasonIn) -> Submission:
    submission = _submission(request, submission_id)
    return services.submission_return(
        user=request_user(request), submission=submission, reason=payload.reason
    )


@router.post(
    "submissions/{int:submission_id}/unlock/",
    response=SubmissionOut,
    summary="解锁已批准的上报（须填写原因，记入操作记录）",
)
def unlock(request: HttpRequest, submission_id: int, payload: ReasonIn) -> Submission:
    submission = _submission(request, submission_id)
    return services.submission_unlock(
        user=request_user(request), submission=submission, reason=payload.reason
    )
