"""Designations in the JSON API: list, detail, create, update (PUT, PATCH), delete; the kinds.

Reads go through the scoped selectors and writes through the services, as on the pages: a
designation or unit outside the caller's subtree is a 404 (as if it did not exist), a write the
caller's role does not allow is a 403, and a broken rule is a 400 whose `errors` name the
field in Chinese. The client names a kind by its code (model_village, …) and a level by its
value (national, province, city, county, township).
"""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from xuanwen.accounts.models import User
from xuanwen.core.models import Level
from xuanwen.records.api import RecordApi, Values, data_as, page_filter, values_of, writable_unit
from xuanwen.records.schemas import ScopeFilter, UnitOut

from . import selectors, services
from .filters import designation_filters
from .models import Designation, DesignationKind

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


class DesignationOut(UnitOut):
    id: int
    unit: str
    unit_name: str
    kind: str = Field(alias="kind.code")
    kind_name: str = Field(alias="kind.name")
    level: str
    level_name: str
    designated_on: date | None
    revoked_on: date | None
    document_no: str
    awarded_by: str
    note: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_level_name(obj: Designation) -> str:
        return str(obj.get_level_display())


class KindOut(Schema):
    id: int
    code: str
    name: str


def _data(user: User, values: Values, current: Designation | None) -> services.DesignationData:
    """The service's DesignationData from the client's values, the unit looked up in scope."""
    unit = writable_unit(user, values["unit"], _("您不能为该单位登记或修改命名。"))
    kind: DesignationKind | None
    if current is not None and values["kind"] == current.kind.code:
        # A kind retired since keeps working for the records that already use it.
        kind = current.kind
    else:
        kind = selectors.designation_kinds().filter(code=values["kind"]).first()
    if kind is None:
        raise ValidationError({"kind": _("没有这个命名类型，或该类型已停用。")})
    if values["level"] not in Level.values:
        raise ValidationError(
            {"level": _("级别只能是：%(names)s。") % {"names": ", ".join(Level.values)}}
        )
    return data_as(services.DesignationData, values, unit=unit, kind=kind)


def _values(designation: Designation, change: Mapping[str, Any]) -> Values:
    return values_of(designation, DesignationIn, kind=designation.kind.code)


class ListFilter(ScopeFilter):
    kind: str | None = Field(None, description="命名类型代码")
    level: str | None = Field(None, description="级别")
    q: str | None = Field(None, description="单位名称、文号、授予单位或拼音首字母")
    as_of: date | None = Field(None, description="只看该日有效的命名（已命名、未撤销）")
    start: date | None = Field(None, description="命名日期不早于该日")
    end: date | None = Field(None, description="命名日期不晚于该日")
    undated: bool | None = Field(None, description="只看未填命名日期的（待补日期）")


designations: RecordApi[Designation, services.DesignationData] = RecordApi(
    router, __name__, "{int:designation_id}/", selectors.get_designation_for_user,
    arg="designation", data=_data, values=_values, nullable={"designated_on", "revoked_on"},
)  # fmt: skip
designations.list(
    "", DesignationOut, ListFilter, page_filter(designation_filters),
    name="designation_list", summary="命名列表（本单位及下级）",
    description="The designations of the caller's subtree, filtered like the list page.",
)  # fmt: skip


@router.get("kinds/", response=list[KindOut], summary="命名类型")
def kind_list(request: HttpRequest) -> Any:
    return selectors.designation_kinds()


designations.detail(DesignationOut, name="designation_detail", summary="命名详情")
designations.create(
    DesignationIn, DesignationOut, services.designation_create,
    name="designation_create", summary="登记命名",
)  # fmt: skip
designations.update(
    DesignationIn, DesignationOut, services.designation_update,
    name="designation", summary="修改命名",
)  # fmt: skip
designations.delete(
    services.designation_delete, name="designation_delete", summary="删除命名（可在操作记录中恢复）"
)
