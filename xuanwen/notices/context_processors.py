"""The top bar's "通知 (N)": the signed-in user's unread stored notices and today's derived
ones (a duty period or a loan overdue, counted until dealt with).

A few small queries per page, whatever the number of notices, duties or loans (one for the
stored notices, two for the user's duties and their completions, one for the overdue loans
of those who keep the registers), and only when the template reads the value (the count is a
callable the template calls, once); nothing for an anonymous visitor.
"""

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest

from xuanwen.accounts.models import User

from .selectors import UNREAD_CAP, badge_count


def notices(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return badge_count(user)

    unread: Callable[[], int] = count
    return {"unread_notices": unread, "unread_cap": UNREAD_CAP}
