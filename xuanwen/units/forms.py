from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import TOKEN_DAYS, TOKEN_DAYS_DEFAULT, TOKEN_NAME_MAX


class UnitRenameForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)


class TokenCreateForm(forms.Form):
    """A new API token on the 我的令牌 page: what it is for and how long it lasts."""

    name = forms.CharField(
        label=_("名称"),
        max_length=TOKEN_NAME_MAX,
        help_text=_("写明用在哪里，如“办公室电脑的统计脚本”。"),
    )
    days = forms.TypedChoiceField(label=_("有效期"), coerce=int, initial=TOKEN_DAYS_DEFAULT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Labelled here, in the language of the request, not once at import.
        days = cast(forms.TypedChoiceField, self.fields["days"])
        days.choices = [(d, gettext("%(d)d 天") % {"d": d}) for d in TOKEN_DAYS]
