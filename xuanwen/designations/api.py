"""Designations in the JSON API: list, detail, create, update (PUT, PATCH), delete; the kinds.

Reads go through the scoped selectors and writes through the services, as on the pages: a
designation or unit outside the caller's subtree is a 404 (as if it did not exist), a write the
caller's role does not allow is a 403, and a broken rule is a 400 whose `errors` name the
field in Chinese. The client names a kind by its code (model_village, …) and a level by its
value (national, province, city, county, township).
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from xuanwen.accounts.models import User
from xuanwen.core.models import Level
from xuanwen.records.api import RecordApi, Values, kind_values, page_filter, register_data
from xuanwen.records.schemas import KindOut, RegisterOut, dated_filter

from . import selectors, services
from .filters import designation_filters
from .models import Designation

router = Router(tags=["designations 命名"])


class DesignationIn(Schema):
    """A designation as the client writes it (create, PUT; PATCH sends any subset)."""

    unit: str = Field(..., description="被命名单位的区划代码（本单位或下级）")
    kind: str = Field(..., description="命名类型代码（GET /api/v1/designations/kinds/）")
    level: str = Field(..., description="级别：national, province, city, county, township, other")
    designated_on: date | None = Field(None, description="命名日期；不填则不计入任何时段")
    revoked_on: date | None = Field(None, description="撤销日期；仍有效的不填")
    document_no: str = Field("", description="文号，如“临文〔2026〕12号”")
    awarded_by: str = Field("", description="授予单位")
    note: str = ""


class DesignationOut(RegisterOut):
    level: str
    level_name: str = Field(alias="get_level_display")
    designated_on: date | None
    revoked_on: date | None
    document_no: str
    awarded_by: str
    note: str
    created_at: datetime
    updated_at: datetime


def _data(user: User, values: Values, current: Designation | None) -> services.DesignationData:
    data = register_data(
        services.DesignationData, user, values, current,
        kinds=selectors.designation_kinds(user.scope),
        refusal=str(services.WRITES.refused),
        missing=_("没有这个命名类型，或该类型已停用。"),
    )  # fmt: skip
    if values["level"] not in Level.values:
        raise ValidationError(
            {"level": _("级别只能是：%(names)s。") % {"names": ", ".join(Level.values)}}
        )
    return data


ListFilter = dated_filter(
    kind="命名类型代码", level="级别", q="单位名称、文号、授予单位或拼音首字母",
    dated="命名日期", as_of="只看该日有效的命名（已命名、未撤销）",
    undated="只看未填命名日期的（待补日期）",
)  # fmt: skip


designations: RecordApi[Designation, services.DesignationData] = RecordApi(
    router, __name__, "{int:designation_id}/", selectors.get_designation_for_user,
    arg="designation", data=_data, values=kind_values(DesignationIn),
    nullable={"designated_on", "revoked_on"},
)  # fmt: skip
designations.list(
    "", DesignationOut, ListFilter, page_filter(designation_filters),
    name="designation_list", summary="命名列表（本单位及下级）",
    description="The designations of the caller's subtree, filtered like the list page.",
)  # fmt: skip

designations.kinds(KindOut, selectors.designation_kinds, summary="命名类型")

designations.detail(DesignationOut, name="designation_detail", summary="命名详情")
designations.writes(
    DesignationIn, DesignationOut,
    services.designation_create, services.designation_update, services.designation_delete,
    noun="命名",
)  # fmt: skip
