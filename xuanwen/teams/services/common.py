"""What the teams services share: permission and audit steps, text checks."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write
from xuanwen.core import clock
from xuanwen.core.text import pinyin_of

# The activity type a training class is counted as; the plan template names it too.
TRAINING_TYPE = "培训"
YEAR_MIN = 1900


# --- Shared steps ----------------------------------------------------------------------------


def _check_write(user: User, unit_code: str) -> None:
    if not can_write(user, unit_code):
        raise PermissionDenied(_("您不能为该单位登记。"))


def _pinyin(text: str) -> str:
    full, initials = pinyin_of(text)
    return f"{full} {initials}"


def _year_error(year: int | None, label: str) -> str:
    if year is None:
        return ""
    latest = clock.today().year + 1
    if not YEAR_MIN <= year <= latest:
        return _("%(label)s应在 %(lo)d 至 %(hi)d 之间。") % {
            "label": label,
            "lo": YEAR_MIN,
            "hi": latest,
        }
    return ""


def _other_than(qs: Any, pk: int | None) -> Any:
    return qs.exclude(pk=pk) if pk is not None else qs
