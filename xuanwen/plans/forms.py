from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuanwen.activities.models import Activity
from xuanwen.core import clock
from xuanwen.core.scope import Scope
from xuanwen.indicators.registry import all_indicators
from xuanwen.units.models import Unit

from .models import ItemStyle, PlanItem, PlanKind
from .services import ItemData, PlanData
from .starters import starters


class StartFrom:
    BLANK = "blank"
    TEMPLATE = "template"
    PREVIOUS = "previous"


class PlanCreateForm(forms.Form):
    """A new plan: unit and period, and what to start from."""

    unit = forms.CharField(label=_("单位代码"), max_length=12)
    kind = forms.ChoiceField(label=_("计划类型"), choices=PlanKind.choices, initial=PlanKind.YEAR)
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    index = forms.IntegerField(
        label=_("半年/季度/月份序号"),
        min_value=0,
        max_value=12,
        initial=0,
        required=False,
        help_text=_("年度计划不填；上半年 1、下半年 2；第几季度；几月。"),
    )
    start = forms.ChoiceField(
        label=_("起草方式"),
        choices=[
            (StartFrom.TEMPLATE, _("从模板开始")),
            (StartFrom.PREVIOUS, _("复制上一年同期计划")),
            (StartFrom.BLANK, _("空白计划")),
        ],
        initial=StartFrom.TEMPLATE,
    )
    template = forms.ChoiceField(label=_("模板"), required=False)
    title = forms.CharField(
        label=_("标题"), max_length=200, required=False, help_text=_("留空则自动生成。")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        template: Any = self.fields["template"]
        template.choices = [(s.key, s.name) for s in starters().values()]
        self.fields["year"].initial = clock.today().year

    def to_data(self, unit: Unit) -> PlanData:
        """The plan's heading, for the unit the code names (looked up in the user's scope)."""
        d = self.cleaned_data
        return PlanData(
            unit=unit, kind=d["kind"], year=d["year"], index=d["index"] or 0, title=d["title"]
        )

    def starting(self) -> dict[str, Any]:
        """What the draft starts from, as `plan_create` takes it."""
        d = self.cleaned_data
        return {
            "template": d["template"] if d["start"] == StartFrom.TEMPLATE else "",
            "from_previous": d["start"] == StartFrom.PREVIOUS,
        }


class PlanEditForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    preamble = forms.CharField(
        label=_("前言"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class SectionForm(forms.Form):
    title = forms.CharField(label=_("部分标题"), max_length=200)
    item_style = forms.ChoiceField(
        label=_("条目编号"), choices=ItemStyle.choices, initial=ItemStyle.ARABIC
    )


class ItemForm(forms.Form):
    """An item: text, optional target (indicator, minimum, maximum), deadline and owner."""

    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 2}))
    indicator = forms.ChoiceField(label=_("指标"), required=False)
    target_min = forms.DecimalField(label=_("目标下限"), min_value=0, required=False)
    target_max = forms.DecimalField(label=_("目标上限"), min_value=0, required=False)
    deadline = forms.DateField(
        label=_("完成期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    owner = forms.CharField(label=_("责任人"), max_length=100, required=False)

    def __init__(
        self, *args: Any, scope: Scope, current_indicator: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("（无，手工确认完成）"))]
        # The kinds' indicators the user's scope sees only (no other county's types).
        choices += [(i.code, i.name) for i in all_indicators(scope)]
        if current_indicator and current_indicator not in dict(choices):
            # An indicator no longer listed (a retired type) stays visible rather than lost.
            choices.append((current_indicator, current_indicator))
        indicator: Any = self.fields["indicator"]
        indicator.choices = choices

    def data_object(self) -> ItemData:
        d = self.cleaned_data
        return ItemData(
            text=d["text"],
            indicator=d["indicator"] or "",
            target_min=d["target_min"],
            target_max=d["target_max"],
            deadline=d["deadline"],
            owner=d["owner"] or "",
        )


class ItemDoneForm(forms.Form):
    """Marking an item done: the day, what was done, and the activities that show it."""

    # A select rather than a checkbox: a full-width control is easier to hit on a phone.
    done = forms.TypedChoiceField(
        label=_("状态"),
        choices=[("0", _("未完成")), ("1", _("已完成"))],
        coerce=lambda v: v == "1",
        initial="0",
    )
    done_on = forms.DateField(
        label=_("完成日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("完成情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence = forms.ModelMultipleChoiceField(
        label=_("佐证活动"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("本单位及下级单位在计划期间内的活动；可多选。"),
    )

    def __init__(
        self, *args: Any, item: PlanItem | None = None, activities: Any = None, **kwargs: Any
    ) -> None:
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "done": "1" if item.done_on else "0",
                "done_on": item.done_on or clock.today(),
                "note": item.done_note,
                "evidence": list(item.evidence.values_list("pk", flat=True)),
            }
        super().__init__(*args, **kwargs)
        if activities is not None:
            self.fields["evidence"].queryset = activities  # type: ignore[attr-defined]
        self.fields["evidence"].label_from_instance = (  # type: ignore[attr-defined]
            lambda a: f"{a.start_date:%Y-%m-%d} {a.title}（{a.unit.name}）"
        )

    def marking(self) -> dict[str, Any]:
        """What `item_mark_done` takes: the day (today if left empty), the note and the
        activities, or none of them for an item that is not done."""
        d = self.cleaned_data
        if not d["done"]:
            return {"done_on": None, "note": "", "activities": []}
        return {
            "done_on": d["done_on"] or clock.today(),
            "note": d["note"],
            "activities": list(d["evidence"]),
        }
