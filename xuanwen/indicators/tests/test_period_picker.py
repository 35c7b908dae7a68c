"""The period picker: periods chosen by name (2026年第一季度), or any two dates as a range; the
indicator table and duty compliance read it alike, and a wrong answer is said, not a 500."""

from datetime import date

from xuanwen.indicators.periods import period_asked, period_choices, year_period
from xuanwen.testing import BaseTestCase, frozen

TODAY = date(2026, 5, 20)


@frozen(TODAY)
class PeriodPickerTests(BaseTestCase):
    def test_the_choices_name_years_halves_quarters_and_months(self) -> None:
        groups = period_choices(TODAY)
        assert [label for label, _ in groups] == ["2026年", "2025年", "2024年"]
        this_year = [p.label for p in groups[0][1]]
        assert this_year[:3] == ["2026年", "2026年上半年", "2026年下半年"]
        assert "2026年第一季度" in this_year and "2026年5月" in this_year
        assert "2026年6月" not in this_year  # not yet begun
        assert len(groups[1][1]) == 1 + 2 + 4 + 12
        # A period the list lacks comes first, as 当前.
        older = year_period(2019)
        assert period_choices(TODAY, older)[0] == ("当前", [older])

    def test_what_the_picker_sends_is_read_back(self) -> None:
        default = year_period(2026)
        assert period_asked({"period": "2026-Q1"}, default)[0].label == "2026年第一季度"
        ranged, error = period_asked({"from": "2026-03-01", "to": "2026-04-15"}, default)
        assert (ranged.start, ranged.end, error) == (date(2026, 3, 1), date(2026, 4, 15), "")
        for params, said in (
            ({"from": "2026-03-01"}, "请同时填写开始和结束日期。"),
            ({"from": "2026-13-01", "to": "2026-12-31"}, "日期有误"),
            ({"from": "2026-05-01", "to": "2026-04-01"}, "结束日期不能早于开始日期"),
            ({"period": "2026-Q5"}, "无法识别的期间"),
            ({"from": "9" * 5000, "to": "2026-01-01"}, "日期有误"),
        ):
            period, error = period_asked(params, default)
            assert period == default and said in error, (params, error)

    def test_the_pages_show_the_picker_and_take_a_range(self) -> None:
        self.client.force_login(self.supervisor)
        page = self.client.get("/indicators/", {"period": "2026-Q1"}).content.decode()
        assert '<option value="2026-Q1" selected>2026年第一季度</option>' in page
        page = self.client.get("/indicators/", {"from": "2026-03-01", "to": "2026-04-15"})
        assert "2026年3月1日至2026年4月15日" in page.content.decode()
        page = self.client.get("/duties/compliance/", {"period": "2025-H2"}).content.decode()
        assert '<option value="2025-H2" selected>2025年下半年</option>' in page
        bad = self.client.get("/duties/compliance/", {"from": "x", "to": "y"})
        assert bad.status_code == 200 and "日期有误" in bad.content.decode()
