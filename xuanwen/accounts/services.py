"""API tokens, ending sessions and sign-in lockout: what the API and the pages check.

Changing a user or their tokens on someone's behalf is audited, and accounts sits below the
audit layer, so those services are the units app's (units.services: user_create, user_set_role,
user_deactivate, api_token_create, api_token_revoke …); they build on the functions here."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session

from xuanwen.core import clock

from .models import TOKEN_DAYS_DEFAULT, ApiToken, LoginAttempt, TokenState, User

TOKEN_PREFIX = "xw_"  # noqa: S105 (a marker, not a secret)

# A token records its use at most this often. Written on every request, each API read would
# become a write: on SQLite every client would queue for the one write lock, on PostgreSQL
# every request would dirty the token's row. "Last used" to the minute is all a person reading
# the token page needs to tell a live script from a forgotten one.
LAST_USED_EVERY = timedelta(minutes=1)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(
    *, user: User, name: str = "", days: int = TOKEN_DAYS_DEFAULT
) -> tuple[ApiToken, str]:
    """A new API token for `user` and its raw value, which is given once and never stored.

    Not audited and not checked: people and commands go through units.services.api_token_create,
    which checks, validates and records; this is what it and the tests build on.
    """
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name or "令牌",
        key_hash=_hash(raw),
        hint=raw[:10],
        expires_at=clock.now() + timedelta(days=days),
    )
    return token, raw


@dataclass(frozen=True)
class TokenCheck:
    """What a raw token opens: its active user, or why it is refused."""

    user: User | None
    refusal: str = ""  # "unknown" (or its user is inactive), "expired", "revoked"


def token_check(raw: str) -> TokenCheck:
    """The active user a raw token belongs to, or why it opens nothing."""
    if not raw.startswith(TOKEN_PREFIX):
        return TokenCheck(None, "unknown")
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(key_hash=_hash(raw), user__is_active=True)
        .first()
    )
    if token is None:
        # A deactivated user's token says no more than a wrong one does.
        return TokenCheck(None, "unknown")
    now = clock.now()
    state = token.state(now)
    if state != TokenState.ACTIVE:
        return TokenCheck(None, str(state))
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return TokenCheck(token.user)


def token_user(raw: str) -> User | None:
    """The active user a raw token belongs to, or None."""
    return token_check(raw).user


def sessions_end(user: User) -> int:
    """Delete every stored session signed in as `user`; how many.

    Sessions live in the database (Django's default engine, which settings keep), keyed by a
    random key with the user id inside the signed data, so the live ones are decoded to find
    the user's. That reads every unexpired session, which is fine for what calls it: a user
    deactivated by an administrator, now and then, with sessions that last hours (8 by
    default). Django already refuses an inactive user's session on each request; deleting the
    rows also keeps those sessions from coming back if the user is activated again.
    """
    mine = str(user.pk)
    ended = [
        s.session_key
        for s in Session.objects.filter(expire_date__gt=clock.now()).iterator(chunk_size=500)
        if str(s.get_decoded().get(SESSION_KEY, "")) == mine
    ]
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


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
