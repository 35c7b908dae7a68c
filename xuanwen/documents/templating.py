"""The templates a county edits in Word (#16, item 3): stored per unit, used for its subtree.

An admin of a unit (accounts.permissions.can_manage) downloads the template in use, edits it
in Word or WPS and uploads it for the unit's subtree. The upload is checked by its content (a
real .docx, core.files, within TEMPLATE_MAX_MB) and by checking.template_problems (every
placeholder known, every tag closed, a trial render): refused with the problems named, never
stored half-checked. A document of a unit uses the nearest template up its line (its own, its
county's, its city's …) or the default one.

Nothing is lost: a new upload or a revert to the default retires the current template
(`retired_at`), and a retired one can be put back. Each change is in the audit log.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_manage
from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record
from xuanwen.core import clock, files, tree
from xuanwen.units.models import Unit

from .build_template import NOTICE_TEMPLATE, TEMPLATE
from .checking import template_problems
from .models import DocumentKind, DocumentTemplate

TEMPLATE_MAX_MB = 2  # a template is text and styles: the default is 40 KB, a logo adds some
HISTORY_MAX = 20  # the earlier templates a page lists


def default_bytes(kind: str) -> bytes:
    """The default template of a document: all are written into the GB/T 9704 layout with
    the same placeholders (writing.SummaryText.context); the notice's adds its table."""
    return (NOTICE_TEMPLATE if kind == DocumentKind.NOTICE else TEMPLATE).read_bytes()


def _live(kind: str) -> QuerySet[DocumentTemplate]:
    return DocumentTemplate.objects.filter(kind=kind, retired_at__isnull=True)


def template_for(unit_code: str, kind: str) -> DocumentTemplate | None:
    """The template a document of the unit is written into: the nearest up its line."""
    line = [*tree.ancestor_codes(unit_code), unit_code]
    found = list(_live(kind).filter(unit_id__in=line).defer("content"))
    return max(found, key=lambda t: (len(t.unit_id), t.uploaded_at), default=None)


def template_bytes(unit_code: str, kind: str) -> bytes:
    used = template_for(unit_code, kind)
    if used is None:
        return default_bytes(kind)
    return bytes(DocumentTemplate.objects.values_list("content", flat=True).get(pk=used.pk))


def history(unit: Unit, kind: str) -> list[DocumentTemplate]:
    """The unit's own templates of the document, the one in use first, then the retired."""
    rows = DocumentTemplate.objects.filter(unit=unit, kind=kind).defer("content")
    in_use_first = F("retired_at").asc(nulls_first=True)  # PostgreSQL puts NULL last otherwise
    return list(rows.order_by(in_use_first, "-uploaded_at", "-id")[:HISTORY_MAX])


def _check_kind(kind: str) -> None:
    if kind not in DocumentKind.values:
        raise ValidationError(_("没有这种文档。"))


def _check_manage(user: User, unit: Unit) -> None:
    if not can_manage(user, unit.code):
        raise PermissionDenied(_("只有本单位的管理员可以更换文档模板。"))


def _snapshot(t: DocumentTemplate) -> dict[str, object]:
    return {
        "文档": str(t.get_kind_display()),
        "文件": t.original_name,
        "大小": t.size,
        "sha256": t.sha256,
    }


def _retire_current(unit: Unit, kind: str) -> None:
    _live(kind).filter(unit=unit).update(retired_at=clock.now())


def template_upload(*, user: User, unit: Unit, kind: str, upload: UploadedFile) -> DocumentTemplate:
    """Store `upload` as the unit's template of `kind`, or raise ValidationError naming every
    problem (in Chinese)."""
    _check_manage(user, unit)
    _check_kind(kind)
    name = files.clean_name(upload.name or "")
    if (upload.size or 0) > TEMPLATE_MAX_MB * 1024 * 1024:
        raise ValidationError(
            _("“%(name)s”太大：模板不能超过 %(mb)d MB。") % {"name": name, "mb": TEMPLATE_MAX_MB}
        )
    checked = files.check_upload(upload)
    if checked.extension != "docx":
        raise ValidationError(
            _("“%(name)s”不是 .docx 文件：请在 Word 或 WPS 中“另存为” Word 文档（*.docx）。")
            % {"name": name}
        )
    upload.seek(0)
    data = upload.read()
    if problems := template_problems(data, kind):
        raise ValidationError(problems)
    with transaction.atomic():
        _retire_current(unit, kind)
        template = DocumentTemplate.objects.create(
            unit=unit,
            kind=kind,
            content=data,
            original_name=name,
            content_type=checked.content_type,
            size=len(data),
            sha256=checked.sha256,
            uploaded_by=user,
        )
        audit_record(
            actor=user, obj=template, unit_code=unit.code, action=Action.CREATE,
            after=_snapshot(template),
        )  # fmt: skip
    return template


def template_revert(*, user: User, unit: Unit, kind: str) -> None:
    """Back to the default (or the nearest ancestor's): the unit's own template is retired,
    kept to be put back."""
    _check_manage(user, unit)
    _check_kind(kind)
    with transaction.atomic():
        current = _live(kind).filter(unit=unit).defer("content").first()
        if current is None:
            return
        _retire_current(unit, kind)
        audit_record(
            actor=user, obj=current, unit_code=unit.code, action=Action.UPDATE,
            before=_snapshot(current), after={"状态": _("已停用，改用默认模板")},
        )  # fmt: skip
        # (Not a deletion: the audit page would offer to restore it as a deleted record.)


def template_restore(*, user: User, template: DocumentTemplate) -> DocumentTemplate:
    """Put a retired template of the unit back in use (the current one is retired)."""
    unit = template.unit
    _check_manage(user, unit)
    with transaction.atomic():
        _retire_current(unit, template.kind)
        template.retired_at = None
        template.save(update_fields=["retired_at"])
        audit_record(
            actor=user, obj=template, unit_code=unit.code, action=Action.UPDATE,
            after={**_snapshot(template), "状态": _("重新启用")},
        )  # fmt: skip
    return template
