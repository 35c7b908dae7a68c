"""Culture households in the JSON API: list, detail, create, update, delete; the kinds.

Reads go through the scoped selectors and writes through the services, as on the pages: a
household or unit outside the caller's subtree is a 404 (as if it did not exist), a write the
caller's role does not allow is a 403, and a broken rule is a 400 whose `errors` name the
field in Chinese. The client names a kind by its code (household, major, centre).
"""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from xuanwen.accounts.models import User
from xuanwen.records.api import RecordApi, Values, kind_values, page_filter, register_data
from xuanwen.records.schemas import KindOut, RegisterOut, dated_filter

from . import selectors, services
from .filters import household_filters
from .models import Household

router = Router(tags=["households 文化户"])


class HouseholdIn(Schema):
    """A household as the client writes it (create, PUT; PATCH sends any subset)."""

    unit: str = Field(..., description="所属村（社区）的区划代码（本单位或下级）")
    kind: str = Field(..., description="类型代码（GET /api/v1/households/kinds/）")
    head: str = Field(..., description="户主姓名（不登记电话）")
    speciality: str = Field("", description="特长，如“剪纸”")
    members: int = Field(1, description="参与人数，1 至 50")
    member_names: str = Field("", description="参与成员姓名")
    level: str = Field("", description="认定级别代码：national、province、city、county、township …")
    designated_on: date | None = Field(None, description="认定日期；不填则不计入任何时段")
    revoked_on: date | None = Field(None, description="撤销日期；仍在册的不填")
    note: str = ""


class HouseholdOut(RegisterOut):
    head: str
    speciality: str
    members: int
    member_names: str
    level: str
    level_name: str = Field(alias="get_level_display")
    designated_on: date | None
    revoked_on: date | None
    note: str
    created_at: datetime
    updated_at: datetime


def _data(user: User, values: Values, current: Household | None) -> services.HouseholdData:
    return register_data(
        services.HouseholdData, user, values, current,
        kinds=selectors.household_kinds(user.scope),
        refusal=str(services.WRITES.refused),
        missing=_("没有这个文化户类型，或该类型已停用。"),
    )  # fmt: skip


ListFilter = dated_filter(
    kind="类型代码", level="认定级别代码", q="户主、特长、参与成员或户主姓名拼音首字母",
    dated="认定日期", as_of="只看该日在册的文化户（已认定、未撤销）",
    undated="只看未填认定日期的文化户（待补日期）",
)  # fmt: skip


households: RecordApi[Household, services.HouseholdData] = RecordApi(
    router, __name__, "{int:household_id}/", selectors.get_household_for_user,
    arg="household", data=_data, values=kind_values(HouseholdIn),
    nullable={"designated_on", "revoked_on"},
)  # fmt: skip
households.list(
    "", HouseholdOut, ListFilter, page_filter(household_filters),
    name="household_list", summary="文化户列表（本单位及下级）",
    description="The culture households of the caller's subtree, filtered like the list page.",
)  # fmt: skip

households.kinds(KindOut, selectors.household_kinds, summary="文化户类型")

households.detail(HouseholdOut, name="household_detail", summary="文化户详情")
households.writes(
    HouseholdIn, HouseholdOut,
    services.household_create, services.household_update, services.household_delete,
    noun="文化户",
)  # fmt: skip
