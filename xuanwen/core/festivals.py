"""The festivals that grassroots cultural work is planned around, for any year.

Lunar festivals move every year, so they are computed with `lunar-python` (offline, no table
to keep up to date) rather than typed in; the fixed ones are plain Gregorian dates.
"""

from datetime import date
from functools import lru_cache

from django.utils.translation import gettext_lazy as _
from lunar_python import Lunar

# (lunar month, lunar day, name). All of them fall in the Gregorian year of the same number:
# 正月初一 is between 21 January and 20 February, so 九月初九 is at the latest in November.
LUNAR_FESTIVALS = [
    (1, 1, _("春节")),
    (1, 15, _("元宵")),
    (5, 5, _("端午")),
    (7, 7, _("七夕")),
    (8, 15, _("中秋")),
    (9, 9, _("重阳")),
]
FIXED_FESTIVALS = [
    (1, 1, _("元旦")),
    (5, 4, _("五四青年节")),
    (6, 1, _("六一儿童节")),
    (7, 1, _("七一建党节")),
    (10, 1, _("国庆节")),
]


@lru_cache(maxsize=64)
def _lunar_dates(year: int) -> tuple[date, ...]:
    # Cached because the calendar page asks for the same year on every request and the lunar
    # conversion walks the library's tables; names are not cached so they follow the language.
    out = []
    for month, day, _name in LUNAR_FESTIVALS:
        solar = Lunar.fromYmd(year, month, day).getSolar()
        out.append(date(solar.getYear(), solar.getMonth(), solar.getDay()))
    return tuple(out)


def festivals(year: int) -> list[tuple[date, str]]:
    """(date, name) of the year's festivals, in date order (元旦 before 春节 on the same day)."""
    out = [(date(year, m, d), str(name)) for m, d, name in FIXED_FESTIVALS]
    out += [
        (day, str(name))
        for day, (_m, _d, name) in zip(_lunar_dates(year), LUNAR_FESTIVALS, strict=True)
    ]
    return sorted(out, key=lambda item: item[0])
