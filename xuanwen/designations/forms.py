"""The designation entry form. It parses and presents; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xuanwen.core.models import Level
from xuanwen.records.forms import RegisterForm, cleaned_as, date_field, kind_field, note_field
from xuanwen.units.pickers import may_write_somewhere

from .models import DesignationKind
from .services import DesignationData

# Whether the user may record designations at all (for their own unit or below).
may_create = may_write_somewhere

FIELDS = ("unit", "kind", "level", "designated_on", "revoked_on", "document_no", "awarded_by",
          "note")  # fmt: skip


class DesignationForm(RegisterForm):
    unit_label_text = _("被命名单位")
    unit_refused = _("请选择您可以登记命名的单位。")
    record_name = "designation"
    initial_fields = FIELDS

    kind = kind_field(DesignationKind, _("命名类型"))
    level = forms.ChoiceField(label=_("级别"), choices=[("", _("请选择")), *Level.choices])
    designated_on = date_field(
        _("命名日期"), _("命名文件的日期；不填则不计入任何时段的命名数（待补日期）。")
    )
    revoked_on = date_field(_("撤销日期"), _("被撤销或摘牌的日期；仍有效的不填。"))
    document_no = forms.CharField(
        label=_("文号"), max_length=100, required=False, help_text=_("如：临文〔2026〕12号")
    )
    awarded_by = forms.CharField(
        label=_("授予单位"), max_length=100, required=False, help_text=_("如：临海市文化和旅游局")
    )
    note = note_field()

    def to_data(self) -> DesignationData:
        return cleaned_as(self, DesignationData)
