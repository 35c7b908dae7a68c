"""The duty list's and the completion list's filters: each page, its export and the API list
read the same one."""

import django_filters
from django.db.models import QuerySet

from xuanwen.accounts.models import User
from xuanwen.records.filters import (
    CheckboxFilter,
    FilterData,
    IdFilter,
    RecordFilterSet,
    TextFilter,
    UnitFilter,
    period_filters,
)

from . import selectors
from .models import Cycle, Duty


class DutyFilters(RecordFilterSet):
    """Subtree, cycle, name; only active duties unless `inactive` is ticked."""

    unit = UnitFilter()
    cycle = django_filters.ChoiceFilter(choices=Cycle.choices)
    q = TextFilter(["name"], pinyin="")
    inactive = CheckboxFilter(method="also_inactive")

    def also_inactive(self, qs: QuerySet[Duty], name: str, ticked: bool) -> QuerySet[Duty]:
        return qs if ticked else qs.filter(active=True)


class CompletionFilters(RecordFilterSet):
    unit = UnitFilter("duty__unit_id")
    duty = IdFilter(field_name="duty_id")
    start, end = period_filters("done_on")


def duty_filters(user: User, data: FilterData) -> DutyFilters:
    """The user's duties by unit then name."""
    qs = selectors.duties_for(user).select_related("unit").order_by("unit_id", "name", "id")
    return DutyFilters(data, qs, user=user)


def completion_filters(user: User, data: FilterData) -> CompletionFilters:
    """The user's completions, latest first."""
    qs = selectors.completions_for(user).select_related("duty", "duty__unit", "done_by")
    return CompletionFilters(data, qs.order_by("-done_on", "-id"), user=user)
