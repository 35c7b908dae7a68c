"""Reading activities, always within the user's scope."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xuanwen.core import tree

from .models import Activity, ActivityType, Attachment, Award, MediaCoverage


def activities_for(user: Any) -> QuerySet[Activity]:
    """Live activities held anywhere in the user's subtree."""
    return Activity.objects.filter(tree.subtree_q(user.scope, "unit_id"))


def get_activity_for_user(user: Any, pk: int) -> Activity:
    activity = activities_for(user).select_related("unit", "type").filter(pk=pk).first()
    if activity is None:
        raise Http404(_("未找到该活动，或您无权查看。"))
    return activity


def get_attachment_for_user(user: Any, pk: int) -> Attachment:
    attachment = (
        Attachment.objects.filter(
            tree.subtree_q(user.scope, "activity__unit_id"), activity__deleted_at__isnull=True
        )
        .select_related("activity")
        .filter(pk=pk)
        .first()
    )
    if attachment is None:
        raise Http404(_("未找到该附件，或您无权查看。"))
    return attachment


def activity_types() -> QuerySet[ActivityType]:
    return ActivityType.objects.filter(active=True)


@dataclass
class ActivityFilter:
    """The list filter: subtree, type, period and free text (name, place or pinyin)."""

    unit: str = ""
    type_id: int | None = None
    start: date | None = None
    end: date | None = None
    text: str = ""


def activity_search(user: Any, f: ActivityFilter) -> QuerySet[Activity]:
    qs = activities_for(user)
    if f.unit:
        qs = qs.filter(tree.subtree_q(f.unit, "unit_id"))
    if f.type_id:
        qs = qs.filter(type_id=f.type_id)
    # An activity belongs to the period it overlaps.
    if f.start:
        qs = qs.filter(end_date__gte=f.start)
    if f.end:
        qs = qs.filter(start_date__lte=f.end)
    text = f.text.strip()
    if text:
        if text.isascii() and text.isalpha():
            qs = qs.filter(search_pinyin__contains=text.lower())
        else:
            qs = qs.filter(Q(title__contains=text) | Q(place__contains=text))
    return qs.select_related("unit", "type")


def get_coverage_for_user(user: Any, pk: int) -> MediaCoverage:
    coverage = (
        MediaCoverage.objects.filter(
            tree.subtree_q(user.scope, "activity__unit_id"), activity__deleted_at__isnull=True
        )
        .select_related("activity")
        .filter(pk=pk)
        .first()
    )
    if coverage is None:
        raise Http404(_("未找到该报道，或您无权查看。"))
    return coverage


def get_award_for_user(user: Any, pk: int) -> Award:
    award = (
        Award.objects.filter(
            tree.subtree_q(user.scope, "activity__unit_id"), activity__deleted_at__isnull=True
        )
        .select_related("activity")
        .filter(pk=pk)
        .first()
    )
    if award is None:
        raise Http404(_("未找到该奖项，或您无权查看。"))
    return award


def activities_in_period(user: Any, start: date, end: date, unit: str = "") -> list[Activity]:
    """Every in-scope activity overlapping [start, end], oldest first (one query)."""
    qs = activity_search(user, ActivityFilter(unit=unit, start=start, end=end))
    return list(qs.order_by("start_date", "id"))
