"""The top bar's "通知 (N)": the signed-in user's unread stored notices.

At most one small query per page, and only when the template reads the value (the count is
a callable the template calls, once); nothing for an anonymous visitor. Derived notices
(overdue duties and loans) are left out of the count: they cost several queries each, too
much for every page, and the home page's cards show them already; the notices page lists
them on top.
"""

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest

from xuanwen.accounts.models import User

from .selectors import UNREAD_CAP, unread_count


def notices(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return unread_count(user)

    unread: Callable[[], int] = count
    return {"unread_notices": unread, "unread_cap": UNREAD_CAP}
