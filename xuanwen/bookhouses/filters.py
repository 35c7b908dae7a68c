"""The filters of the bookhouse list and of the three registers (stock, lending, demand):
each page, its export and the API list read the same one."""

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import User
from xuanwen.core import clock
from xuanwen.facilities.models import Facility
from xuanwen.records.filters import FilterData, IdFilter, RecordFilterSet, UnitFilter

from . import selectors
from .models import DemandStatus, StockKind


class BookhouseFilters(RecordFilterSet):
    unit = UnitFilter()


class RegisterFilters(RecordFilterSet):
    """What the registers share: one bookhouse or a unit's subtree, and a date range on the
    register's own date (`date_field`)."""

    date_field = "date"

    unit = UnitFilter("facility__unit_id")
    facility = IdFilter(field_name="facility_id")
    start = django_filters.DateFilter(method="since")
    end = django_filters.DateFilter(method="until")

    def since(self, qs: QuerySet[Any], name: str, day: dt.date) -> QuerySet[Any]:
        return qs.filter(**{f"{self.date_field}__gte": day})

    def until(self, qs: QuerySet[Any], name: str, day: dt.date) -> QuerySet[Any]:
        return qs.filter(**{f"{self.date_field}__lte": day})


class StockFilters(RegisterFilters):
    kind = django_filters.ChoiceFilter(choices=StockKind.choices)


LOAN_STATES = [("open", _("在借")), ("overdue", _("逾期")), ("returned", _("已归还"))]


class LoanFilters(RegisterFilters):
    date_field = "lent_on"

    status = django_filters.ChoiceFilter(choices=LOAN_STATES, method="state")

    def state(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "open":
            return qs.filter(returned_on__isnull=True)
        if value == "overdue":
            # The overdue list reads longest overdue first.
            overdue = qs.filter(returned_on__isnull=True, due_on__lt=clock.today())
            return overdue.order_by("due_on", "id")
        return qs.filter(returned_on__isnull=False)


class DemandFilters(RegisterFilters):
    status = django_filters.ChoiceFilter(choices=DemandStatus.choices)


def bookhouse_filters(user: User, data: FilterData) -> BookhouseFilters:
    """The user's bookhouses with their totals, by unit then name."""
    qs = selectors.with_totals(selectors.bookhouses_for(user)).select_related("unit")
    return BookhouseFilters(data, qs.order_by("unit_id", "name", "pk"), user=user)


def _rows(qs: QuerySet[Any], facility: Facility | None) -> QuerySet[Any]:
    qs = qs.select_related("facility__unit")
    return qs if facility is None else qs.filter(facility=facility)


def stock_filters(user: User, data: FilterData, facility: Facility | None = None) -> StockFilters:
    """The user's stock entries (of one bookhouse, if given), narrowed by `data`."""
    return StockFilters(data, _rows(selectors.stock_entries_for(user), facility), user=user)


def loan_filters(user: User, data: FilterData, facility: Facility | None = None) -> LoanFilters:
    return LoanFilters(data, _rows(selectors.loans_for(user), facility), user=user)


def demand_filters(user: User, data: FilterData, facility: Facility | None = None) -> DemandFilters:
    return DemandFilters(data, _rows(selectors.demands_for(user), facility), user=user)


# Each register's filter by its name in the URLs.
REGISTER_FILTERS = {"stock": stock_filters, "loans": loan_filters, "demands": demand_filters}
