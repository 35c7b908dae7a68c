"""The scheme's form with its items and rewards inline (formsets), and the adjustment's."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuanwen.core.scope import Scope
from xuanwen.indicators.registry import all_indicators
from xuanwen.units.models import Level, Unit

from .models import (
    MAX_ITEMS,
    MAX_REWARDS,
    POINTS_MAX,
    YEAR_MAX,
    YEAR_MIN,
    Grade,
    ItemRule,
    RewardBasis,
)
from .services import AdjustmentData, ItemData, RewardData, SchemeData

BLANK_ITEMS = 3  # empty item rows the form offers below the items
BLANK_REWARDS = 2


def _points(label: Any, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=7, decimal_places=2, max_value=POINTS_MAX, **kwargs
    )


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("方案名称"), max_length=100)
    year = forms.IntegerField(label=_("年度"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    level = forms.TypedChoiceField(label=_("考核单位层级"), choices=Level.choices, coerce=int)
    excellent_min = _points(_("优秀分数线"), min_value=0, initial=90)
    good_min = _points(_("良好分数线"), min_value=0, initial=80)
    pass_min = _points(_("合格分数线"), min_value=0, initial=60)
    reward_by = forms.ChoiceField(label=_("奖励依据"), choices=RewardBasis.choices)


class ItemForm(forms.Form):
    name = forms.CharField(label=_("考核内容"), max_length=100)
    indicator = forms.ChoiceField(label=_("指标"))
    rule = forms.ChoiceField(label=_("计分方法"), choices=ItemRule.choices)
    points = _points(_("分值"), min_value=Decimal("0.01"))
    target = forms.DecimalField(
        label=_("目标值"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    per = _points(_("每次分值"), min_value=0, required=False)
    floor = _points(_("最低得分"), min_value=-POINTS_MAX, required=False)

    def __init__(self, *args: Any, indicators: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["indicator"]
        field.choices = indicators

    def data_item(self) -> ItemData:
        d = self.cleaned_data
        return ItemData(
            name=d["name"], indicator=d["indicator"], rule=d["rule"], points=d["points"],
            target=d["target"], per=d["per"], floor=d["floor"] or Decimal(0),
        )  # fmt: skip


class RewardForm(forms.Form):
    grade = forms.ChoiceField(label=_("等次"), choices=[("", "—"), *Grade.choices], required=False)
    top_rank = forms.IntegerField(label=_("前几名"), min_value=1, max_value=10000, required=False)
    amount = forms.DecimalField(
        label=_("奖励金额（元）"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    title = forms.CharField(label=_("称号"), max_length=50, required=False)

    def data_reward(self) -> RewardData:
        d = self.cleaned_data
        return RewardData(d["grade"], d["top_rank"], d["amount"], d["title"])


ItemFormSet = forms.formset_factory(
    ItemForm, extra=BLANK_ITEMS, max_num=MAX_ITEMS, validate_max=True, absolute_max=MAX_ITEMS
)
RewardFormSet = forms.formset_factory(
    RewardForm, extra=BLANK_REWARDS, max_num=MAX_REWARDS, validate_max=True,
    absolute_max=MAX_REWARDS,
)  # fmt: skip


def indicator_choices(scope: Scope) -> list[tuple[str, str]]:
    return [
        (i.code, f"{i.group} · {i.name}" if i.group else str(i.name)) for i in all_indicators(scope)
    ]


def scheme_data(owner: Unit, form: SchemeForm, items: Any, rewards: Any) -> SchemeData:
    """The scheme as the service takes it, from valid forms (blank rows left out)."""
    d = form.cleaned_data
    return SchemeData(
        owner=owner,
        name=d["name"],
        year=d["year"],
        level=d["level"],
        excellent_min=d["excellent_min"],
        good_min=d["good_min"],
        pass_min=d["pass_min"],
        reward_by=d["reward_by"],
        items=[f.data_item() for f in items.forms if f.has_changed() and f.cleaned_data],
        rewards=[f.data_reward() for f in rewards.forms if f.has_changed() and f.cleaned_data],
    )


class AdjustmentForm(forms.Form):
    unit = forms.ChoiceField(label=_("单位"))
    points = _points(_("分数（加分为正，扣分为负）"), min_value=-POINTS_MAX)
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)
    evidence = forms.FileField(label=_("佐证材料"), required=False)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        field: Any = self.fields["unit"]
        field.choices = [(u.code, u.name) for u in units]

    def data_adjustment(self) -> AdjustmentData:
        d = self.cleaned_data
        return AdjustmentData(unit=self.units[d["unit"]], points=d["points"], reason=d["reason"])
