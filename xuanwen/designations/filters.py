"""The designation list's filter: the page, its exports and the API read the same one."""

import datetime as dt

import django_filters
from django.db.models import QuerySet

from xuanwen.accounts.models import User
from xuanwen.core.models import Level
from xuanwen.records.filters import (
    CheckboxFilter,
    FilterData,
    RecordFilterSet,
    TextFilter,
    UnitFilter,
    period_filters,
)

from . import selectors
from .models import Designation


class DesignationFilters(RecordFilterSet):
    """Subtree, kind (by code), level, free text (unit name, 文号, 授予单位 or the unit's
    pinyin), "in force on" a day (`as_of`, the standing count's rule), "designated between"
    (`start`–`end`, the rule of the new counts) and "no designated date yet" (`undated`)."""

    unit = UnitFilter()
    kind = django_filters.CharFilter(field_name="kind__code", max_length=30)
    level = django_filters.ChoiceFilter(choices=Level.choices)
    q = TextFilter(fields=("unit__name", "document_no", "awarded_by"))
    as_of = django_filters.DateFilter(method="standing")
    start, end = period_filters("designated_on")
    undated = CheckboxFilter(method="without_date")

    def standing(self, qs: QuerySet[Designation], name: str, day: dt.date) -> QuerySet[Designation]:
        return qs.filter(selectors.standing_on(day))

    def without_date(self, qs: QuerySet[Designation], name: str, on: bool) -> QuerySet[Designation]:
        return qs.filter(designated_on__isnull=True) if on else qs


def designation_filters(user: User, data: FilterData) -> DesignationFilters:
    """The user's live designations, by unit then kind then date, narrowed by `data`."""
    return DesignationFilters(
        data, selectors.designations_for(user).select_related("unit", "kind"), user=user
    )
