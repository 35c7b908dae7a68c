"""The household entry form. It parses and presents; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xuanwen.core.entry import NUMERIC
from xuanwen.core.models import Level
from xuanwen.records.forms import (
    RegisterForm,
    cleaned_as,
    date_field,
    held_int,
    kind_field,
    note_field,
)
from xuanwen.units.pickers import may_write_somewhere

from .models import Household, HouseholdKind
from .services import MEMBERS_MAX, MEMBERS_MIN, HouseholdData

# Whether the user may record households at all (for their own unit or below).
may_create = may_write_somewhere

FIELDS = ("unit", "kind", "head", "speciality", "members", "member_names", "level",
          "designated_on", "revoked_on", "note")  # fmt: skip


class HouseholdForm(RegisterForm):
    unit_label_text = _("所属村（社区）")
    unit_refused = _("请选择您可以登记文化户的村（社区）。")
    record_name = "household"
    initial_fields = FIELDS

    kind = kind_field(HouseholdKind)
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
    designated_on = date_field(
        _("认定日期"), _("只知道年份的，填该年 1 月 1 日。不填则不计入任何时段的文化户数。")
    )
    revoked_on = date_field(_("撤销日期"), _("被撤销或不再认定的日期；仍在册的不填。"))
    note = note_field()

    def to_data(self) -> HouseholdData:
        return cleaned_as(self, HouseholdData)
