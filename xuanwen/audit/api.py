from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from xuanwen.accounts.permissions import request_user
from xuanwen.core.bounds import Pages

from .models import AuditEntry
from .selectors import audit_entries_for, get_audit_entry_for_user
from .services import audit_restore

router = Router(tags=["audit 审计"])


class AuditOut(Schema):
    id: int
    at: datetime
    actor_name: str
    # The story the page tells: who (the person's 姓名), the verb, the record's title then.
    who: str
    verb: str
    title: str
    story: str
    action: str
    model: str
    object_pk: str
    object_repr: str
    unit_code: str
    before: Any = None
    after: Any = None
    restored_at: datetime | None = None


@router.get("", response=list[AuditOut], summary="操作记录（本单位及下级）")
@paginate(Pages)
def audit_list(request: HttpRequest) -> Any:
    return audit_entries_for(request.user)  # type: ignore[arg-type]


@router.get("{int:entry_id}/", response=AuditOut, summary="操作记录详情")
def audit_detail(request: HttpRequest, entry_id: int) -> AuditEntry:
    return get_audit_entry_for_user(request.user, entry_id)  # type: ignore[arg-type]


@router.post("{int:entry_id}/restore/", response=AuditOut, summary="恢复已删除的记录（系统管理员）")
def audit_restore_endpoint(request: HttpRequest, entry_id: int) -> AuditEntry:
    user = request_user(request)
    entry = get_audit_entry_for_user(user, entry_id)
    audit_restore(user=user, entry=entry)
    entry.refresh_from_db()
    return entry
