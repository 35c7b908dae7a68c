from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .services import login_attempt_record, login_locked


class LockoutAuthenticationForm(AuthenticationForm):
    """The sign-in form, refusing a username with too many recent failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。"),
        "locked": _("登录失败次数过多，该账号已暂时锁定，请 %(minutes)s 分钟后再试。"),
    }

    def clean(self) -> dict[str, Any]:
        from django.conf import settings

        username = (self.data.get("username") or "").strip()
        if username and login_locked(username):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        ip = self.request.META.get("REMOTE_ADDR") if self.request else None
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                login_attempt_record(username=username, ip=ip, succeeded=False)
            raise
        login_attempt_record(username=username, ip=ip, succeeded=True)
        return cleaned
