"""Reading duties and completions, always within the user's scope."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User

from .models import Duty, DutyCompletion, Evidence, InspectedBusiness


def duties_for(user: User) -> QuerySet[Duty]:
    """Live duties of units anywhere in the user's subtree."""
    return Duty.objects.filter(user.scope.q("unit_id"))


def get_duty_for_user(user: User, pk: int) -> Duty:
    duty = duties_for(user).select_related("unit").filter(pk=pk).first()
    if duty is None:
        raise Http404(_("未找到该常规工作，或您无权查看。"))
    return duty


def completions_for(user: User) -> QuerySet[DutyCompletion]:
    """Live completions of live duties in the user's subtree."""
    return DutyCompletion.objects.filter(
        user.scope.q("duty__unit_id"), duty__deleted_at__isnull=True
    )


def get_completion_for_user(user: User, pk: int) -> DutyCompletion:
    completion = (
        completions_for(user).select_related("duty", "duty__unit", "done_by").filter(pk=pk).first()
    )
    if completion is None:
        raise Http404(_("未找到该完成记录，或您无权查看。"))
    return completion


def _part_q(user: User) -> Q:
    return Q(
        user.scope.q("completion__duty__unit_id"),
        completion__deleted_at__isnull=True,
        completion__duty__deleted_at__isnull=True,
    )


def get_evidence_for_user(user: User, pk: int) -> Evidence:
    item = (
        Evidence.objects.filter(_part_q(user), pk=pk)
        .select_related("completion", "completion__duty")
        .first()
    )
    if item is None:
        raise Http404(_("未找到该材料，或您无权查看。"))
    return item


def get_business_for_user(user: User, pk: int) -> InspectedBusiness:
    item = (
        InspectedBusiness.objects.filter(_part_q(user), pk=pk)
        .select_related("completion", "completion__duty")
        .first()
    )
    if item is None:
        raise Http404(_("未找到该检查对象，或您无权查看。"))
    return item


@dataclass
class DutyFilter:
    """The duty list's filter: subtree, cycle, active or not, free text."""

    unit: str = ""
    cycle: str = ""
    active: bool | None = True
    text: str = ""


def _unit_q(user: User, unit: str, field: str) -> Q:
    # The filter's unit narrows the scope; one outside it (an API caller's) leaves nothing.
    return (user.scope.narrowed(unit) if unit else user.scope).q(field)


def duty_search(user: User, f: DutyFilter) -> QuerySet[Duty]:
    qs = Duty.objects.filter(_unit_q(user, f.unit, "unit_id"))
    if f.cycle:
        qs = qs.filter(cycle=f.cycle)
    if f.active is not None:
        qs = qs.filter(active=f.active)
    if f.text.strip():
        qs = qs.filter(name__contains=f.text.strip())
    return qs.select_related("unit").order_by("unit_id", "name", "id")


@dataclass
class CompletionFilter:
    unit: str = ""
    duty_id: int | None = None
    start: date | None = None
    end: date | None = None


def completion_search(user: User, f: CompletionFilter) -> QuerySet[DutyCompletion]:
    qs = DutyCompletion.objects.filter(
        _unit_q(user, f.unit, "duty__unit_id"), duty__deleted_at__isnull=True
    )
    if f.duty_id:
        qs = qs.filter(duty_id=f.duty_id)
    if f.start:
        qs = qs.filter(done_on__gte=f.start)
    if f.end:
        qs = qs.filter(done_on__lte=f.end)
    return qs.select_related("duty", "duty__unit", "done_by").order_by("-done_on", "-id")
