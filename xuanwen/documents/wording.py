"""Numbers and dates as the seed's summaries write them (2026年3月、20场次、图书19500余册).

A count of a few hundred is stated exactly; a big total (books, visitors, audiences) is
rounded down to its hundreds and marked 余, as a station head writes it by hand. A rate keeps
one decimal and its %.
"""

from datetime import date

# From here on a total is rounded down to its hundreds and said with 余 (19523 → 19500余).
APPROX_FROM = 1000
APPROX_STEP = 100

_CN_DIGITS = "零一二三四五六七八九"


def number(value: int | float | None, *, approx: bool = False) -> str:
    """`value` as a summary states it: 20, 96.5, 19500余 (approx, for big totals)."""
    if value is None:
        return "0"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".rstrip("0").rstrip(".")
    whole = int(value)
    if approx and whole >= APPROX_FROM and whole % APPROX_STEP:
        return f"{whole - whole % APPROX_STEP}余"
    return str(whole)


def amount(value: int | float | None, measure: str, *, approx: bool = False) -> str:
    """A number with its measure: 20场次, 19500余册, 96.5%."""
    return f"{number(value, approx=approx)}{measure}"


def month(day: date) -> str:
    return f"{day.year}年{day.month}月"


def day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def numeral(n: int) -> str:
    """一 … 九十九, for headings (一、 and （一）)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return f"{head}十{_CN_DIGITS[ones] if ones else ''}"
