from datetime import date

import pytest

from xuanwen.indicators.periods import parse_period, period_of


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "2026年"),
        ("2026-H1", date(2026, 1, 1), date(2026, 6, 30), "2026年上半年"),
        ("2026-h2", date(2026, 7, 1), date(2026, 12, 31), "2026年下半年"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), "2026年第一季度"),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "2026年第四季度"),
        ("2026-05", date(2026, 5, 1), date(2026, 5, 31), "2026年5月"),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29), "2028年2月"),
        (
            "2026-01-01..2026-03-31",
            date(2026, 1, 1),
            date(2026, 3, 31),
            "2026年1月1日至2026年3月31日",
        ),
    ],
)
def test_it_parses_periods(text: str, start: date, end: date, label: str) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.label) == (start, end, label)
    # The key reads back as the same period.
    assert parse_period(period.key) == period


@pytest.mark.parametrize(
    "text",
    ["", "26", "2026-H3", "2026-Q5", "2026-13", "2026-03-31..2026-01-01", "2026-02-30..2026-03-01"],
)
def test_it_rejects_nonsense(text: str) -> None:
    with pytest.raises(ValueError, match=r"期间|日期"):
        parse_period(text)


def test_plan_periods_match_the_parsed_ones() -> None:
    assert period_of("year", 2026) == parse_period("2026")
    assert period_of("half", 2026, 2) == parse_period("2026-H2")
    assert period_of("quarter", 2026, 3) == parse_period("2026-Q3")
    assert period_of("month", 2026, 11) == parse_period("2026-11")
    with pytest.raises(ValueError):
        period_of("quarter", 2026, 5)


def test_elapsed_fraction_counts_whole_days() -> None:
    year = parse_period("2026")
    assert year.elapsed_fraction(date(2025, 12, 31)) == 0
    assert year.elapsed_fraction(date(2026, 1, 1)) == pytest.approx(1 / 365)
    assert year.elapsed_fraction(date(2026, 7, 2)) == pytest.approx(183 / 365)
    assert year.elapsed_fraction(date(2026, 12, 31)) == 1
    assert year.elapsed_fraction(date(2027, 3, 1)) == 1
