from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from xuanwen.accounts.permissions import request_user
from xuanwen.core.bounds import Pages

from . import selectors, services
from .models import Unit

router = Router(tags=["units 单位"])


class UnitOut(Schema):
    code: str
    code12: str
    name: str
    level: int
    level_name: str
    parent: str | None
    pinyin: str
    initials: str

    @staticmethod
    def resolve_level(obj: Unit) -> int:
        return int(obj.level)

    @staticmethod
    def resolve_level_name(obj: Unit) -> str:
        return str(obj.level.label)

    @staticmethod
    def resolve_parent(obj: Unit) -> str | None:
        return obj.parent_id


class UnitPatch(Schema):
    name: str


@router.get("", response=list[UnitOut], summary="单位列表（本单位及下级）")
@paginate(Pages)
def unit_list(request: HttpRequest, parent: str | None = None, q: str | None = None) -> Any:
    """All units in the caller's scope; `parent=CODE` its children; `q` searches names, codes
    and pinyin (`lhs` → 临海市)."""
    user = request_user(request)
    if q:
        return selectors.unit_search(user, q, limit=100)
    qs = selectors.units_for(user)
    if parent:
        selectors.get_unit_for_user(user, parent)
        qs = qs.filter(parent_id=parent)
    return qs.order_by("code")


@router.get("{code}/", response=UnitOut, summary="单位详情")
def unit_detail(request: HttpRequest, code: str) -> Unit:
    return selectors.get_unit_for_user(request.user, code)  # type: ignore[arg-type]


@router.patch("{code}/", response=UnitOut, summary="单位更名（系统管理员）")
def unit_update(request: HttpRequest, code: str, payload: UnitPatch) -> Unit:
    user = request_user(request)
    unit = selectors.get_unit_for_user(user, code)
    return services.unit_update(user=user, unit=unit, name=payload.name)


@router.delete("{code}/", response={204: None}, summary="删除单位（系统管理员，可在审计中恢复）")
def unit_delete(request: HttpRequest, code: str) -> Status[None]:
    user = request_user(request)
    unit = selectors.get_unit_for_user(user, code)
    services.unit_delete(user=user, unit=unit)
    return Status(204, None)
