from datetime import date

from xuanwen.core.festivals import festivals


def by_name(year: int) -> dict[str, date]:
    return {name: day for day, name in festivals(year)}


def test_lunar_festivals_2026() -> None:
    days = by_name(2026)
    assert days["春节"] == date(2026, 2, 17)
    assert days["元宵"] == date(2026, 3, 3)
    assert days["端午"] == date(2026, 6, 19)
    assert days["七夕"] == date(2026, 8, 19)
    assert days["中秋"] == date(2026, 9, 25)
    assert days["重阳"] == date(2026, 10, 18)


def test_lunar_festivals_move_between_years() -> None:
    # Any year works, not only those in a table: 2027 and 2030 are computed the same way.
    assert by_name(2027)["春节"] == date(2027, 2, 6)
    assert by_name(2030)["中秋"] == date(2030, 9, 12)


def test_fixed_festivals_and_order() -> None:
    result = festivals(2026)
    days = by_name(2026)
    assert days["元旦"] == date(2026, 1, 1)
    assert days["五四青年节"] == date(2026, 5, 4)
    assert days["六一儿童节"] == date(2026, 6, 1)
    assert days["七一建党节"] == date(2026, 7, 1)
    assert days["国庆节"] == date(2026, 10, 1)
    assert len(result) == 11
    assert [d for d, _ in result] == sorted(d for d, _ in result)
    assert all(d.year == 2026 for d, _ in result)
