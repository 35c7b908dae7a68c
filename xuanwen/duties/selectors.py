"""Reading duties and completions, always within the user's scope."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.records.selectors import one_or_404

from .models import Duty, DutyCompletion, Evidence, InspectedBusiness


def duties_for(user: User) -> QuerySet[Duty]:
    """Live duties of units anywhere in the user's subtree."""
    return Duty.objects.filter(user.scope.q("unit_id"))


def get_duty_for_user(user: User, pk: int) -> Duty:
    qs = duties_for(user).select_related("unit")
    return one_or_404(qs, pk, _("未找到该常规工作，或您无权查看。"))


def completions_for(user: User) -> QuerySet[DutyCompletion]:
    """Live completions of live duties in the user's subtree."""
    return DutyCompletion.objects.filter(
        user.scope.q("duty__unit_id"), duty__deleted_at__isnull=True
    )


def get_completion_for_user(user: User, pk: int) -> DutyCompletion:
    qs = completions_for(user).select_related("duty", "duty__unit", "done_by")
    return one_or_404(qs, pk, _("未找到该完成记录，或您无权查看。"))


def _part_q(user: User) -> Q:
    return Q(
        user.scope.q("completion__duty__unit_id"),
        completion__deleted_at__isnull=True,
        completion__duty__deleted_at__isnull=True,
    )


def get_evidence_for_user(user: User, pk: int) -> Evidence:
    qs = Evidence.objects.filter(_part_q(user)).select_related("completion", "completion__duty")
    return one_or_404(qs, pk, _("未找到该材料，或您无权查看。"))


def get_business_for_user(user: User, pk: int) -> InspectedBusiness:
    qs = InspectedBusiness.objects.filter(_part_q(user))
    qs = qs.select_related("completion", "completion__duty")
    return one_or_404(qs, pk, _("未找到该检查对象，或您无权查看。"))
