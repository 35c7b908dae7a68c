"""The assessment API: schemes (list, get, create, update with their items and rewards),
scoring (a background task: the answer is the run to poll), live scores, versions, a
version's results and one unit's breakdown. Scoped like the pages (another subtree's ids:
404); writes are the services'."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from xuanwen.accounts.permissions import request_user
from xuanwen.records.schemas import Id
from xuanwen.units.selectors import get_unit_for_user

from . import scoring, selectors, services
from .models import MAX_ITEMS, MAX_REWARDS, YEAR_MAX, YEAR_MIN, Run, Scheme, UnitResult

router = Router(tags=["assessment 考核"])

Code = Annotated[str, Field(max_length=12)]
Points = Annotated[Decimal, Field(ge=0, le=10000, max_digits=7, decimal_places=2)]
Signed = Annotated[Decimal, Field(ge=-10000, le=10000, max_digits=7, decimal_places=2)]
Amount = Annotated[Decimal, Field(ge=0, lt=100_000_000, max_digits=12, decimal_places=2)]
Target = Annotated[Decimal, Field(ge=0, lt=10**10, max_digits=12, decimal_places=2)]


class SchemeItemIn(Schema):
    name: Annotated[str, Field(max_length=100)]
    indicator: Annotated[str, Field(max_length=100)]
    rule: Annotated[
        str, Field(max_length=20, description="proportional、threshold、per_occurrence、deduction")
    ]
    points: Points
    target: Target | None = None
    per: Points | None = None
    floor: Signed = Decimal(0)


class SchemeRewardIn(Schema):
    grade: Annotated[str, Field(max_length=10, description="excellent、good、pass、fail")] = ""
    top_rank: Annotated[int, Field(ge=1, le=10000)] | None = None
    amount: Amount | None = None
    title: Annotated[str, Field(max_length=50)] = ""


class SchemeIn(Schema):
    owner: Code
    name: Annotated[str, Field(max_length=100)]
    year: Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
    level: Annotated[int, Field(ge=1, le=5, description="考核单位层级：4 乡镇街道 5 村社区")]
    excellent_min: Points = Decimal(90)
    good_min: Points = Decimal(80)
    pass_min: Points = Decimal(60)
    reward_by: Annotated[str, Field(max_length=10, description="grade 按等次、rank 按名次")] = (
        "grade"
    )
    items: Annotated[list[SchemeItemIn], Field(max_length=MAX_ITEMS)]
    rewards: Annotated[list[SchemeRewardIn], Field(max_length=MAX_REWARDS)] = []


class SchemeItemOut(Schema):
    name: str
    indicator: str
    rule: str
    points: Decimal
    target: Decimal | None
    per: Decimal | None
    floor: Decimal


class SchemeRewardOut(Schema):
    grade: str
    top_rank: int | None
    amount: Decimal | None
    title: str


class SchemeOut(Schema):
    id: int
    owner: str = Field(alias="owner_id")
    owner_name: str = Field(alias="owner.name")
    name: str
    year: int
    level: int
    excellent_min: Decimal
    good_min: Decimal
    pass_min: Decimal
    reward_by: str
    items: list[SchemeItemOut]
    rewards: list[SchemeRewardOut]

    @staticmethod
    def resolve_items(obj: Scheme) -> list[Any]:
        return list(obj.items.all())

    @staticmethod
    def resolve_rewards(obj: Scheme) -> list[Any]:
        return list(obj.rewards.all())


class RunOut(Schema):
    """A scoring run: one version of a scheme's result, and the background task's progress."""

    id: int
    scheme: int = Field(alias="scheme_id")
    version: int
    state: str
    done: int
    total: int
    error: str
    computed_at: datetime | None
    published_at: datetime | None


class ResultLineOut(Schema):
    name: str
    indicator: str
    rule: str
    actual: float | None
    target: Decimal | None
    max_points: Decimal | None
    points: Decimal
    url: str


class UnitResultOut(Schema):
    id: int
    unit: str = Field(alias="unit_id")
    unit_name: str = Field(alias="unit.name")
    rank: int
    total: Decimal
    grade: str
    reward_amount: Decimal | None
    reward_title: str


class UnitBreakdownOut(UnitResultOut):
    lines: list[ResultLineOut]

    @staticmethod
    def resolve_lines(obj: UnitResult) -> list[Any]:
        return obj.breakdown


class LiveScoreOut(Schema):
    """A unit's score computed now from the records (not stored, not published)."""

    unit: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    rank: int
    total: Decimal
    grade: str
    reward_amount: Decimal | None
    reward_title: str


def _data(request: HttpRequest, payload: SchemeIn) -> services.SchemeData:
    user = request_user(request)
    return services.SchemeData(
        owner=get_unit_for_user(user, payload.owner),
        name=payload.name,
        year=payload.year,
        level=payload.level,
        excellent_min=payload.excellent_min,
        good_min=payload.good_min,
        pass_min=payload.pass_min,
        reward_by=payload.reward_by,
        items=[services.ItemData(**i.dict()) for i in payload.items],
        rewards=[services.RewardData(**r.dict()) for r in payload.rewards],
    )


def _schemes(request: HttpRequest) -> Any:
    return selectors.schemes_for(request_user(request)).prefetch_related("items", "rewards")


@router.get(
    "schemes/", response=list[SchemeOut], summary="考核方案列表（本单位及下级的、考核本单位的）"
)
def scheme_list(request: HttpRequest) -> list[Scheme]:
    return list(_schemes(request)[:500])


@router.get("schemes/{int:scheme_id}/", response=SchemeOut, summary="考核方案")
def scheme_get(request: HttpRequest, scheme_id: Id) -> Scheme:
    return selectors.get_scheme_for_user(request_user(request), scheme_id)


@router.post("schemes/", response={201: SchemeOut}, summary="新建考核方案（主管单位）")
def scheme_create(request: HttpRequest, payload: SchemeIn) -> Status[Scheme]:
    user = request_user(request)
    return Status(201, services.scheme_create(user=user, data=_data(request, payload)))


@router.put(
    "schemes/{int:scheme_id}/", response=SchemeOut, summary="修改考核方案（含考核项目与奖励）"
)
def scheme_update(request: HttpRequest, scheme_id: Id, payload: SchemeIn) -> Scheme:
    user = request_user(request)
    scheme = selectors.get_scheme_for_user(user, scheme_id)
    return services.scheme_update(user=user, scheme=scheme, data=_data(request, payload))


@router.post(
    "schemes/{int:scheme_id}/score/",
    response={202: RunOut},
    summary="计算考核结果（后台任务：返回结果版本，轮询其状态）",
)
def score(request: HttpRequest, scheme_id: Id) -> Status[Run]:
    user = request_user(request)
    scheme = selectors.get_scheme_for_user(user, scheme_id)
    return Status(202, services.score_request(user=user, scheme=scheme))


@router.get(
    "schemes/{int:scheme_id}/scores/",
    response=list[LiveScoreOut],
    summary="按当前记录即时计算的得分（不保存、不发布；仅本人范围内的单位）",
)
def live_scores(request: HttpRequest, scheme_id: Id) -> list[scoring.UnitScore]:
    user = request_user(request)
    scheme = selectors.get_scheme_for_user(user, scheme_id)
    scores = scoring.compute(scheme, links=False)
    return [s for s in scores if user.scope.contains(s.unit.code)]


@router.get("schemes/{int:scheme_id}/runs/", response=list[RunOut], summary="考核结果的各个版本")
def run_list(request: HttpRequest, scheme_id: Id) -> list[Run]:
    user = request_user(request)
    scheme = selectors.get_scheme_for_user(user, scheme_id)
    return list(selectors.runs_for(user).filter(scheme=scheme)[:100])


@router.get("runs/{int:run_id}/", response=RunOut, summary="一个结果版本（及其计算进度）")
def run_get(request: HttpRequest, run_id: Id) -> Run:
    run = selectors.get_run_for_user(request_user(request), run_id)
    services.check_stale(run)
    return run


@router.post("runs/{int:run_id}/publish/", response=RunOut, summary="发布结果版本（发布后固定）")
def run_publish(request: HttpRequest, run_id: Id) -> Run:
    user = request_user(request)
    return services.run_publish(user=user, run=selectors.get_run_for_user(user, run_id))


@router.get(
    "runs/{int:run_id}/results/",
    response=list[UnitResultOut],
    summary="结果：名次、总分、等次、奖励",
)
def result_list(request: HttpRequest, run_id: Id) -> list[UnitResult]:
    user = request_user(request)
    run = selectors.get_run_for_user(user, run_id)
    return list(selectors.results_for(user, run))


@router.get(
    "results/{int:result_id}/",
    response=UnitBreakdownOut,
    summary="一个单位的得分明细（每项的实际值、目标、计分方法、得分和记录链接）",
)
def result_get(request: HttpRequest, result_id: Id) -> UnitResult:
    return selectors.get_result_for_user(request_user(request), result_id)
