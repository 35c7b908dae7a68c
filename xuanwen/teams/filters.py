"""The filters of the people, team, training and honour lists: each page, its export and the
API list read the same one."""

import django_filters
from django.db.models import QuerySet

from xuanwen.accounts.models import User
from xuanwen.core.models import Level
from xuanwen.records.filters import (
    CheckboxFilter,
    FilterData,
    IdFilter,
    IntegerFilter,
    RecordFilterSet,
    TextFilter,
    UnitFilter,
    period_filters,
)

from . import selectors
from .models import HolderKind, Team


class PersonFilters(RecordFilterSet):
    """Subtree and free text (name, specialty, phone or pinyin)."""

    unit = UnitFilter()
    q = TextFilter(fields=("name", "specialty", "phone"))


class TeamFilters(RecordFilterSet):
    """Subtree, genre, active or not, and free text (name or pinyin)."""

    unit = UnitFilter()
    genre = IdFilter(field_name="genre_id")
    active = django_filters.BooleanFilter()
    q = TextFilter(fields=("name",))
    # No founding date yet (待补日期): such a team counts in no period's team count.
    undated = CheckboxFilter(method="without_date")

    def without_date(self, qs: QuerySet[Team], name: str, on: bool) -> QuerySet[Team]:
        return qs.filter(founded_on__isnull=True) if on else qs


class TrainingFilters(RecordFilterSet):
    """Subtree, period (a class belongs to the period it overlaps, as an activity does) and
    free text (title, trainer, place or pinyin)."""

    unit = UnitFilter()
    start, end = period_filters("start_date", "end_date")
    q = TextFilter(fields=("title", "trainer", "place"))


class HonourFilters(RecordFilterSet):
    """Subtree, level, holder kind, year and free text (name, awarding body or pinyin)."""

    unit = UnitFilter()
    level = django_filters.ChoiceFilter(choices=Level.choices)
    kind = django_filters.ChoiceFilter(field_name="holder_kind", choices=HolderKind.choices)
    year = IntegerFilter(min_value=1900, max_value=2100)
    q = TextFilter(fields=("name", "awarded_by"))


def person_filters(user: User, data: FilterData) -> PersonFilters:
    return PersonFilters(data, selectors.people_for(user).select_related("unit"), user=user)


def team_filters(user: User, data: FilterData) -> TeamFilters:
    return TeamFilters(data, selectors.team_list(user), user=user)


def training_filters(user: User, data: FilterData) -> TrainingFilters:
    return TrainingFilters(data, selectors.training_list(user), user=user)


def honour_filters(user: User, data: FilterData) -> HonourFilters:
    qs = selectors.honours_for(user).select_related("unit", "person", "team")
    return HonourFilters(data, qs, user=user)
