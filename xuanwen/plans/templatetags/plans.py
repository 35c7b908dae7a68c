from decimal import Decimal

from django import template

from xuanwen.plans.models import PlanItem

register = template.Library()


@register.filter
def plain(value: Decimal | float | int | None) -> str:
    """3.00 → "3", 2.50 → "2.5": targets are whole numbers nearly always."""
    if value is None:
        return ""
    return format(Decimal(str(value)).normalize(), "f")


@register.filter
def target_text(item: PlanItem) -> str:
    """The target as written in a plan: 3–5, 1, or nothing for an item without one."""
    if item.target_min is None:
        return ""
    if item.target_max is not None and item.target_max != item.target_min:
        return f"{plain(item.target_min)}–{plain(item.target_max)}"
    return plain(item.target_min)
