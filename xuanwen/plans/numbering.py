"""The numbering of official documents: 一、二、三… for parts, (一)(二)… or 1. 2. … for items.

Only the order is stored; numbers are rendered, so deleting or moving an item renumbers the
rest without touching them.
"""

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九; larger numbers as digits."""
    if n < 1 or n > 99:
        return str(n)
    tens, ones = divmod(n, 10)
    out = ""
    if tens:
        out = ("" if tens == 1 else DIGITS[tens]) + "十"
    if ones:
        out += DIGITS[ones]
    return out


def section_number(position: int) -> str:
    """The 1-based position of a part as it is written: 一、"""
    return f"{chinese_number(position)}、"


def item_number(position: int, style: str) -> str:
    """The 1-based position of an item: （一） in the paren style, else 1."""
    if style == "paren":
        return f"（{chinese_number(position)}）"
    return f"{position}."
