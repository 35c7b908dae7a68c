"""The opening logs' card on the home page (core.home)."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from xuanwen.accounts.models import APPROVE_ROLES
from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.core.home import Card, UnitBehind, register_card, units_behind_card
from xuanwen.indicators.periods import quarter_period

from .views import children_compliance, may_record


@register_card(10)
def record_card(request: HttpRequest) -> Card | None:
    """For those who keep a facility's door: today's opening in one tap, or a whole week."""
    user = request_user(request)
    if not may_record(user):
        return None
    return Card("opening/_home_card.html")


@register_card(25)
def behind_card(request: HttpRequest) -> Card | None:
    """For those who oversee a subtree: the units below whose facilities have missed opening
    weeks this quarter so far, lowest rate first (the compliance page's numbers, one tap away).
    Four queries whatever the subtree, as the compliance page's roll-up, but counted without
    building every day of every facility's week (see compliance.branch_rows)."""
    user = request_user(request)
    if user.role not in APPROVE_ROLES or user.unit is None:
        return None
    today = clock.today()
    period = quarter_period(today.year, (today.month - 1) // 3 + 1)
    children = children_compliance(user.unit, period)
    behind = [(unit, row) for unit, row in children if row.rate is not None and row.rate < 100]
    behind.sort(key=lambda pair: (pair[1].rate or 0, pair[0].code))
    page = reverse("opening:compliance")
    rows = [
        UnitBehind(
            unit.name,
            f"{page}?unit={unit.code}&period={period.key}",
            _("达标率 %(rate)s%%（%(a)s/%(b)s 周）")
            % {"rate": row.rate, "a": row.compliant, "b": row.judged},
        )
        for unit, row in behind
    ]
    return units_behind_card(
        key="opening",
        title=_("%(p)s开放未全部达标的下级单位") % {"p": period.label},
        rows=rows,
        all_url=f"{page}?period={period.key}",
    )
