"""The filters of a record list, declared with django-filter over a scoped queryset.

A record type's `filters.py` declares one FilterSet: which query-string names narrow which
fields. The page, its Excel export and the API read the same one, so a list, what it exports
and what the API returns cannot drift apart. What makes these FilterSets ours:

- the queryset is always the user's scoped one (a selector's `<records>_for(user)`), so a filter
  can only narrow what the user may see;
- a malformed value is left out (not applied) rather than an error page: a hand-edited or old
  link still shows the list;
- a unit outside the user's scope, or above it, means "all of mine" (UnitFilter).
"""

import copy
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import request_user
from xuanwen.core import tree
from xuanwen.core.scope import Scope
from xuanwen.indicators import declare
from xuanwen.units.models import Unit
from xuanwen.units.selectors import UnknownUnit, unit_in_box

NAME_MAX = Unit._meta.get_field("name").max_length or 100

# What a list's filter reads: a page's GET or an API's query (None: no filter at all).
FilterData = Mapping[str, Any] | None


def listed(
    filters: "Callable[[User, FilterData], RecordFilterSet]",
) -> Callable[[HttpRequest], QuerySet[Any]]:
    """The list page's records for a request of one of its exports: the signed-in user's,
    narrowed by the same query string through the same filter set, so that what is exported
    is what the list shows (records.reports.report_view, records.excel.data_export_view)."""
    return lambda request: filters(request_user(request), request.GET).qs


class RecordFilterSet(django_filters.FilterSet):
    """A FilterSet bound to a user: `RecordFilterSet(request.GET, records_for(user), user=user)`."""

    def __init__(self, data: FilterData, queryset: QuerySet[Any], *, user: User) -> None:
        self.user = user
        # Always bound: an empty query string is "no filter", not "no list".
        super().__init__(data if data is not None else {}, queryset=queryset)

    @classmethod
    def form_class(cls) -> type[forms.Form]:
        """The filter form's class, made once per filter set class from its declared filters.

        django-filter makes the class anew for each filter set, from that instance's copies of
        the same declarations: about a third of a short list page's work. A declared filter's
        field depends on its declaration alone (the user's scope is handed to each form, see
        `form`), so one class serves every request; and Django copies a form class's fields
        into each form it makes, so no request sees another's."""
        made: type[forms.Form] | None = cls.__dict__.get("_form_class")
        if made is None:
            # From copies: a filter keeps the field it made, and the declarations are copied
            # into every filter set.
            declared = copy.deepcopy(cls.base_filters)
            fields = {name: one.field for name, one in declared.items()}
            made = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            cls._form_class = made
        return made

    def get_form_class(self) -> type[forms.Form]:
        return self.form_class()

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            form = self.get_form_class()(self.data, prefix=self.form_prefix)
            for field in form.fields.values():
                if isinstance(field, UnitField):
                    field.scope = self.user.scope  # this form's own copy of the field
            self._form = form
        return self._form

    @property
    def values(self) -> dict[str, Any]:
        """The applied values by filter name ("" where not given or malformed), for the page
        to show the filter as it was read."""
        self.form.is_valid()
        cleaned = self.form.cleaned_data
        return {name: "" if cleaned.get(name) is None else cleaned[name] for name in self.filters}

    def shown_unit(self) -> Unit | None:
        """The unit the list is of: its unit filter's, else the user's own (none for a user
        bound to no unit)."""
        code = self.values.get("unit") or self.user.scope.unit_code or ""
        return Unit.objects.filter(code=code).first() if code else None


class UnitField(forms.CharField):
    """A unit within the scope, by its code or its name (units.selectors.unit_in_box): a code
    outside or above the scope cleans to "", the whole scope; a name of no unit in the scope to
    an UnknownUnit, which filters to nothing and says why beside the box."""

    def __init__(self, *, scope: Scope | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", NAME_MAX)
        super().__init__(**kwargs)
        # None until the form is given its user's scope; then nothing is taken.
        self.scope = scope

    def clean(self, value: Any) -> str:
        text = str(super().clean(value)).strip()
        return "" if self.scope is None else unit_in_box(self.scope, text)


class UnitFilter(django_filters.CharFilter):
    """The records of one unit's subtree (by tree code on `field_name`)."""

    def __init__(self, field_name: str = "unit_id", **kwargs: Any) -> None:
        super().__init__(field_name=field_name, **kwargs)

    field_class = UnitField  # given the user's scope by RecordFilterSet.form

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if isinstance(value, UnknownUnit):
            return qs.none()  # a name of no unit: nothing, and the box says why
        return qs.filter(tree.subtree_q(value, self.field_name)) if value else qs


class TextFilter(django_filters.CharFilter):
    """Free text: letters alone search the pinyin column (full and initials, lower case),
    anything else the given text fields."""

    def __init__(self, fields: Iterable[str], pinyin: str = "search_pinyin", **kwargs: Any) -> None:
        super().__init__(max_length=50, **kwargs)
        self.fields = tuple(fields)
        self.pinyin = pinyin

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        text = (value or "").strip()
        if not text:
            return qs
        if self.pinyin and text.isascii() and text.isalpha():
            return qs.filter(**{f"{self.pinyin}__contains": text.lower()})
        match = Q()
        for name in self.fields:
            match |= Q(**{f"{name}__contains": text})
        return qs.filter(match)


# What an integer column holds on both databases (PostgreSQL's integer; SQLite's is wider). A
# value beyond it is malformed like any other: left out, never sent to the database, where it
# would overflow into a 500.
INT_MAX = 2**31 - 1
# What a BigAutoField key holds: an id beyond it names no record.
ID_MAX = 2**63 - 1


class IntegerFilter(django_filters.Filter):
    """A whole number (a year): django-filter's NumberFilter would take 2024.5 as a decimal.
    Bounded by what the column holds unless the declaration narrows it."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", -INT_MAX - 1)
        kwargs.setdefault("max_value", INT_MAX)
        super().__init__(*args, **kwargs)


class CheckboxFilter(django_filters.Filter):
    """A plain checkbox: absent is False (not "not given"), so its `method` always runs and
    decides what an unticked box means (e.g. "only the active ones")."""

    field_class = forms.BooleanField


class IdFilter(IntegerFilter):
    """A record named by its id, e.g. one facility's logs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


def period_filters(
    first: str, last: str = ""
) -> tuple[django_filters.DateFilter, django_filters.DateFilter]:
    """A list's `start` and `end` (a period's first and last days, as the indicators link to
    it): the records whose `first` date (a log's `date`) falls in it, or with `last`, whose
    `first`–`last` dates overlap it (a training class's `start_date`–`end_date`)::

        start, end = period_filters("done_on")
    """
    return (
        django_filters.DateFilter(field_name=last or first, lookup_expr="gte"),
        django_filters.DateFilter(field_name=first, lookup_expr="lte"),
    )


class DatedFilterSet(RecordFilterSet):
    """The filters of a dated register (facilities, households, designations), whose records
    have a kind from a catalogue and real-world start and end dates (opened_on / closed_on):
    subtree, kind (by code), "standing on" a day (`as_of`, the standing count's rule),
    "started between" (`start`–`end`, the rule of the new counts, as the indicators link to
    them) and "no start date yet" (`undated`: 待补日期, counted in no period). A register's
    FilterSet names its two dates and adds its free text (and a level, if it has one)::

        class FacilityFilters(DatedFilterSet):
            dates = ("opened_on", "closed_on")
            q = TextFilter(fields=("name", "address"))
    """

    dates: ClassVar[tuple[str, str]]  # the records' start and end dates, by field name

    unit = UnitFilter()
    kind = django_filters.CharFilter(field_name="kind__code", max_length=30)
    as_of = django_filters.DateFilter(method="standing")
    start = django_filters.DateFilter(method="started_from")
    end = django_filters.DateFilter(method="started_by")
    undated = CheckboxFilter(method="without_date")

    def standing(self, qs: QuerySet[Any], name: str, day: dt.date) -> QuerySet[Any]:
        return qs.filter(declare.standing_on(day, *self.dates))

    def started_from(self, qs: QuerySet[Any], name: str, day: dt.date) -> QuerySet[Any]:
        return qs.filter(**{f"{self.dates[0]}__gte": day})

    def started_by(self, qs: QuerySet[Any], name: str, day: dt.date) -> QuerySet[Any]:
        return qs.filter(**{f"{self.dates[0]}__lte": day})

    def without_date(self, qs: QuerySet[Any], name: str, on: bool) -> QuerySet[Any]:
        return qs.filter(**{f"{self.dates[0]}__isnull": True}) if on else qs
