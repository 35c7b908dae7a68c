from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from xuanwen.core.addresses import client_address

from .services import login_attempt_record, login_refusal


class LockoutAuthenticationForm(AuthenticationForm):
    """The sign-in form, refusing a username with too many recent failures from this address,
    and any username from an address with too many failures overall."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。"),
        "locked": _("登录失败次数过多，该账号已暂时锁定，请 %(minutes)s 分钟后再试。"),
        "throttled": _("此地址登录失败次数过多，已暂时禁止登录，请 %(minutes)s 分钟后再试。"),
    }

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip()
        ip = client_address(self.request) if self.request else None
        refusal = login_refusal(username, ip) if username else None
        if refusal:
            raise forms.ValidationError(
                self.error_messages[refusal],
                code=refusal,
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                login_attempt_record(username=username, ip=ip, succeeded=False)
            raise
        login_attempt_record(username=username, ip=ip, succeeded=True)
        return cleaned
