"""The forms of a report set and of a validation rule (the indicators offered are those the
user's scope sees, by name)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuanwen.core.scope import Scope
from xuanwen.indicators.registry import all_indicators
from xuanwen.units.models import Level

from .models import MAX_DAYS, Frequency, RuleKind, Severity


def _indicator_choices(scope: Scope, codes: list[str]) -> list[tuple[str, str]]:
    return [(i.code, str(i.name)) for i in all_indicators(scope) if not codes or i.code in codes]


class ReportSetForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    levels = forms.TypedMultipleChoiceField(
        label=_("上报单位层级"),
        choices=Level.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(label=_("频率"), choices=Frequency.choices)
    deadline_days = forms.IntegerField(
        label=_("截止天数（期末后）"), min_value=0, max_value=MAX_DAYS, initial=10
    )
    lock_days = forms.IntegerField(
        label=_("锁定天数（期末后，0 为不自动锁定）"), min_value=0, max_value=MAX_DAYS, initial=0
    )
    indicators = forms.MultipleChoiceField(label=_("指标"), widget=forms.CheckboxSelectMultiple)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["indicators"]
        field.choices = _indicator_choices(scope, [])


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=RuleKind.choices)
    left = forms.ChoiceField(label=_("指标"))
    right = forms.ChoiceField(label=_("不超过指标"), required=False)
    limit = forms.DecimalField(
        label=_("不超过上限"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    level = forms.TypedChoiceField(
        label=_("适用层级"),
        choices=[("", _("所有层级")), *Level.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    severity = forms.ChoiceField(label=_("级别"), choices=Severity.choices)

    def __init__(self, *args: Any, scope: Scope, codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _indicator_choices(scope, codes)
        left: Any = self.fields["left"]
        right: Any = self.fields["right"]
        left.choices = choices
        right.choices = [("", "—"), *choices]
