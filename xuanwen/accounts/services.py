"""API tokens and sign-in lockout. (Creating a user binds them to a unit and is audited, so
it is the units app's: units.services.user_create.)"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings

from xuanwen.core import clock

from .models import ApiToken, LoginAttempt, User

TOKEN_PREFIX = "xw_"  # noqa: S105 (a marker, not a secret)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: User) -> str:
    """A new API token for `user`; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(raw), hint=raw[:10])
    return raw


def token_user(raw: str) -> User | None:
    """The active user a raw token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(key_hash=_hash(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = clock.now()
    # Write at most once a minute: a busy client should not turn every read into a write.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def login_refusal(username: str, address: str | None) -> str | None:
    """Why a sign-in is refused before its password is even checked, or None.

    "throttled" while `address` has too many recent failures over any usernames; "locked"
    while `username` has too many from `address` since its last success there. Keyed by the
    address too, so failures from elsewhere never lock the owner out of their own account.
    """
    since = clock.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = LoginAttempt.objects.filter(ip=address, at__gte=since)
    if recent.filter(succeeded=False).count() >= settings.LOGIN_ADDRESS_MAX_FAILURES:
        return "throttled"
    recent = recent.filter(username__iexact=username)
    last_success = recent.filter(succeeded=True).order_by("-at").values_list("at", flat=True)[:1]
    failures = recent.filter(succeeded=False)
    if last_success:
        failures = failures.filter(at__gt=last_success[0])
    if failures.count() >= settings.LOGIN_MAX_FAILURES:
        return "locked"
    return None


def login_attempt_record(*, username: str, ip: str | None, succeeded: bool) -> None:
    LoginAttempt.objects.create(username=username[:150], ip=ip, succeeded=succeeded)
