"""The household entry form. It parses and presents; the rules live in services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import User
from xuanwen.core.entry import NUMERIC, DateInput
from xuanwen.core.models import Level
from xuanwen.records.forms import UnitForm, cleaned_as, held_int, initial_of, offered
from xuanwen.units.models import Unit
from xuanwen.units.pickers import may_write_somewhere

from .models import Household, HouseholdKind
from .services import MEMBERS_MAX, MEMBERS_MIN, HouseholdData

# Whether the user may record households at all (for their own unit or below).
may_create = may_write_somewhere

FIELDS = ("unit", "kind", "head", "speciality", "members", "member_names", "level",
          "designated_on", "revoked_on", "note")  # fmt: skip


class HouseholdForm(UnitForm):
    unit_label_text = _("所属村（社区）")
    unit_refused = _("请选择您可以登记文化户的村（社区）。")

    kind = forms.ModelChoiceField(
        label=_("类型"), queryset=HouseholdKind.objects.none(), empty_label=_("请选择")
    )
    head = forms.CharField(label=_("户主"), max_length=50, help_text=_("户主姓名；不登记电话。"))
    speciality = forms.CharField(
        label=_("特长"), max_length=100, required=False, help_text=_("如：剪纸、锣鼓、书法")
    )
    members = held_int(
        Household,
        "members",
        min_value=MEMBERS_MIN,
        max_value=MEMBERS_MAX,
        initial=1,
        widget=forms.NumberInput(attrs=NUMERIC),
        help_text=_("家中参与文化活动的人数。"),
    )
    member_names = forms.CharField(
        label=_("参与成员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("可不填；填写时用顿号分隔，如：张三、李四。"),
    )
    level = forms.ChoiceField(
        label=_("认定级别"), choices=[("", _("未填写")), *Level.choices], required=False
    )
    designated_on = forms.DateField(
        label=_("认定日期"),
        required=False,
        widget=DateInput(),
        help_text=_("只知道年份的，填该年 1 月 1 日。不填则不计入任何时段的文化户数。"),
    )
    revoked_on = forms.DateField(
        label=_("撤销日期"),
        required=False,
        widget=DateInput(),
        help_text=_("被撤销或不再认定的日期；仍在册的不填。"),
    )
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        units: list[Unit] | None,
        household: Household | None = None,
        **kwargs: Any,
    ) -> None:
        if household is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(household, FIELDS)
        super().__init__(*args, user=user, units=units, **kwargs)
        current = household.kind_id if household is not None else None
        self.fields["kind"].queryset = offered(HouseholdKind, current)  # type: ignore[attr-defined]

    def to_data(self) -> HouseholdData:
        return cleaned_as(self, HouseholdData)
