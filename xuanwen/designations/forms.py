"""The designation entry form. It parses and presents; the rules live in services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import User
from xuanwen.core.entry import DateInput
from xuanwen.core.models import Level
from xuanwen.records.forms import UnitForm, cleaned_as, initial_of, offered
from xuanwen.units.models import Unit
from xuanwen.units.pickers import may_write_somewhere

from .models import Designation, DesignationKind
from .services import DesignationData

# Whether the user may record designations at all (for their own unit or below).
may_create = may_write_somewhere

FIELDS = ("unit", "kind", "level", "designated_on", "revoked_on", "document_no", "awarded_by",
          "note")  # fmt: skip


class DesignationForm(UnitForm):
    unit_label_text = _("被命名单位")
    unit_refused = _("请选择您可以登记命名的单位。")

    kind = forms.ModelChoiceField(
        label=_("命名类型"), queryset=DesignationKind.objects.none(), empty_label=_("请选择")
    )
    level = forms.ChoiceField(label=_("级别"), choices=[("", _("请选择")), *Level.choices])
    designated_on = forms.DateField(
        label=_("命名日期"),
        required=False,
        widget=DateInput(),
        help_text=_("命名文件的日期；不填则不计入任何时段的命名数（待补日期）。"),
    )
    revoked_on = forms.DateField(
        label=_("撤销日期"),
        required=False,
        widget=DateInput(),
        help_text=_("被撤销或摘牌的日期；仍有效的不填。"),
    )
    document_no = forms.CharField(
        label=_("文号"), max_length=100, required=False, help_text=_("如：临文〔2026〕12号")
    )
    awarded_by = forms.CharField(
        label=_("授予单位"), max_length=100, required=False, help_text=_("如：临海市文化和旅游局")
    )
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        units: list[Unit] | None,
        designation: Designation | None = None,
        **kwargs: Any,
    ) -> None:
        if designation is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(designation, FIELDS)
        super().__init__(*args, user=user, units=units, **kwargs)
        current = designation.kind_id if designation is not None else None
        self.fields["kind"].queryset = offered(DesignationKind, current)  # type: ignore[attr-defined]

    def to_data(self) -> DesignationData:
        return cleaned_as(self, DesignationData)
