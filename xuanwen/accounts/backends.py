"""Sign-in by username and password: Django's ModelBackend, with the per-request user read
through a prepared query (see core.prepared)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from xuanwen.core.prepared import PreparedGet

from .models import User

_USER_BY_PK = PreparedGet(User, pk=0)


class UserBackend(ModelBackend):
    """ModelBackend whose get_user, run on every signed-in request, skips compiling SQL."""

    def get_user(self, user_id: Any) -> Any:
        user = _USER_BY_PK.get(pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
