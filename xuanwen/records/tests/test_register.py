"""The rules a dated register writes once (records.services.dated_errors), on their own; each
register's tests keep its own messages and its duplicate key."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from xuanwen.records.services import dated_errors
from xuanwen.testing import frozen

D = dt.date
# From 1949 to a year after this one: 2027 in 2026.
pytestmark = pytest.mark.usefixtures("in_2026")


@pytest.fixture
def in_2026() -> Iterator[None]:
    with frozen(D(2026, 6, 1)):
        yield


@dataclass
class Dates:
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None


def errors(data: Dates, first_needed: str = "") -> dict[str, str]:
    names = ("opened_on", "closed_on")
    return dated_errors(data, names, years_ahead=1, order="after", first_needed=first_needed)


def test_dates_within_the_years_and_in_order_pass() -> None:
    assert errors(Dates()) == {}
    assert errors(Dates(D(1949, 1, 1), D(2027, 12, 31))) == {}
    assert errors(Dates(closed_on=D(2020, 1, 1))) == {}  # an end alone, unless asked


def test_a_date_outside_the_years_is_named_on_its_field() -> None:
    found = errors(Dates(D(1948, 12, 31), D(2028, 1, 1)))
    assert set(found) == {"opened_on", "closed_on"}
    assert "1949" in found["opened_on"] and "2027" in found["opened_on"]


def test_the_end_must_come_after_the_start() -> None:
    assert errors(Dates(D(2020, 5, 1), D(2020, 5, 1))) == {"closed_on": "after"}
    assert errors(Dates(D(2020, 5, 1), D(2020, 4, 30))) == {"closed_on": "after"}


def test_an_end_without_a_start_is_refused_when_the_register_says_so() -> None:
    assert errors(Dates(closed_on=D(2020, 1, 1)), "first") == {"closed_on": "first"}
    # The end's own year error speaks first.
    assert set(errors(Dates(closed_on=D(2030, 1, 1)), "first")) == {"closed_on"}
    assert errors(Dates(closed_on=D(2030, 1, 1)), "first")["closed_on"] != "first"
