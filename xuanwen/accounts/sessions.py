"""The database session store, reading its row with a prepared query.

Every signed-in request reads its session; see core.prepared for why this is not the ORM's
`get`. Writing, expiry and clearing are Django's own.
"""

from datetime import UTC, datetime
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from xuanwen.core.prepared import PreparedGet

_LIVE_SESSION = PreparedGet(
    Session, session_key="-", expire_date__gt=datetime(2000, 1, 1, tzinfo=UTC)
)


class SessionStore(db.SessionStore):
    """django.contrib.sessions' database store (SESSION_ENGINE = "xuanwen.accounts.sessions")."""

    def _get_session_from_db(self) -> Any:
        session = _LIVE_SESSION.get(session_key=self.session_key, expire_date__gt=timezone.now())
        if session is None:
            self._session_key = None
        return session
