"""The household list's filter: the page, its export and the API read the same one."""

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
from .models import Household


class HouseholdFilters(RecordFilterSet):
    """Subtree, kind (by code), level, free text (head, speciality, members' names or the
    head's pinyin), "standing on" a day (`as_of`, the standing count's rule), "designated
    between" (`start`–`end`, the rule of the new counts) and "no designation date yet"
    (`undated`: 待补日期)."""

    unit = UnitFilter()
    kind = django_filters.CharFilter(field_name="kind__code", max_length=30)
    level = django_filters.ChoiceFilter(choices=Level.choices)
    q = TextFilter(fields=("head", "speciality", "member_names"))
    as_of = django_filters.DateFilter(method="standing")
    start, end = period_filters(selectors.DESIGNATED)
    undated = CheckboxFilter(method="without_date")

    def standing(self, qs: QuerySet[Household], name: str, day: dt.date) -> QuerySet[Household]:
        return qs.filter(selectors.standing_on(day))

    def without_date(self, qs: QuerySet[Household], name: str, on: bool) -> QuerySet[Household]:
        return qs.filter(designated_on__isnull=True) if on else qs


def household_filters(user: User, data: FilterData) -> HouseholdFilters:
    """The user's live households, by unit then kind then head, narrowed by `data`."""
    return HouseholdFilters(
        data, selectors.households_for(user).select_related("unit", "kind"), user=user
    )
