"""Showing indicator values: a number, a percentage, or a dash for "no value"."""

from django import template

from xuanwen.indicators.registry import Number

register = template.Library()


@register.filter
def number(value: Number) -> str:
    """3 → "3", 12.5 → "12.5", 12.0 → "12", None → "—" (a rate of no records)."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
