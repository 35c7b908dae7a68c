from datetime import date

from django.test import SimpleTestCase

from xuanwen.documents import wording


class NumberFormsTest(SimpleTestCase):
    def test_counts_are_exact_and_big_totals_rounded_down_with_yu(self) -> None:
        assert wording.amount(20, "场次") == "20场次"
        assert wording.amount(19523, "册", approx=True) == "19500余册"
        assert wording.amount(19500, "册", approx=True) == "19500册"  # nothing left over
        assert wording.amount(999, "人次", approx=True) == "999人次"  # small: exact
        assert wording.amount(19523, "册") == "19523册"

    def test_rates_and_missing_values(self) -> None:
        assert wording.amount(96.5, "%") == "96.5%"
        assert wording.amount(100.0, "%") == "100%"
        assert wording.number(None) == "0"
        assert wording.number(12.0) == "12"

    def test_dates_and_numerals(self) -> None:
        assert wording.month(date(2026, 3, 9)) == "2026年3月"
        assert wording.day(date(2026, 3, 9)) == "2026年3月9日"
        assert [wording.numeral(n) for n in (1, 4, 10, 11, 20, 23)] == [
            "一", "四", "十", "十一", "二十", "二十三",
        ]  # fmt: skip
