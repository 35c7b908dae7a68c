"""The page where an admin replaces a document's template for their subtree (templating.py):
what each document uses now and where from, the placeholders and their meaning, the upload,
the revert to the default and the earlier templates to put back.

The unit is the unit box's (the user's own by default; a unit outside the scope is a 404).
Everybody may read the page and download the templates in use; only an admin of the unit
(accounts.permissions.can_manage) sees the forms and may change anything.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.permissions import can_manage, request_user
from xuanwen.indicators.views import unit_from
from xuanwen.units.models import Unit

from . import files, templating
from .checking import NOTICE_PLACEHOLDERS
from .models import DocumentKind, DocumentTemplate


def _unit(request: HttpRequest) -> Unit:
    unit, unknown = unit_from(request)
    if unknown:
        raise Http404(unknown.unknown)
    return unit


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind") or DocumentKind.SUMMARY
    if kind not in DocumentKind.values:
        raise Http404(_("没有这种文档。"))
    return kind


def _back(unit: Unit) -> HttpResponse:
    return redirect(f"{reverse('documents:templates')}?unit={unit.code}")


def _page(
    request: HttpRequest, unit: Unit, errors: dict[str, list[str]], status: int = 200
) -> HttpResponse:
    rows = []
    for kind, label in DocumentKind.choices:
        used = templating.template_for(unit.code, kind)
        rows.append({
            "kind": kind, "label": label, "used": used,
            "own": used is not None and used.unit_id == unit.code,
            "history": templating.history(unit, kind),
            "errors": errors.get(kind, []),
        })  # fmt: skip
    context = {
        "unit": unit,
        "typed": unit.name,
        "rows": rows,
        "manage": can_manage(request_user(request), unit.code),
        "placeholders": [(name, str(text)) for name, text in NOTICE_PLACEHOLDERS.items()],
        "max_mb": templating.TEMPLATE_MAX_MB,
        # Written here: the tags it shows would be read as the page's own.
        "syntax_help": _(
            "模板中用 {{ 名称 }} 写入文字，用 {%p for … %} … {%p endfor %} 重复段落；只能使用"
            "下列占位符，其他名称或未闭合的标记会被拒绝并指出位置。"
        ),
    }
    return render(request, "documents/templates.html", context, status=status)


UnitKindView = Callable[[HttpRequest, Unit, str], HttpResponseBase]


def unit_kind(view: UnitKindView) -> Callable[[HttpRequest], HttpResponseBase]:
    """A template of the unit and document the query names (a unit outside the scope, or no
    such document, is a 404); a user bound to no unit who names none is sent to the page."""

    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponseBase:
        if not request.GET.get("unit", "").strip() and not request_user(request).unit_id:
            return redirect("documents:templates")
        return view(request, _unit(request), _kind(request))

    return wrapped


@login_required
@require_GET
def templates(request: HttpRequest) -> HttpResponse:
    if not request.GET.get("unit", "").strip() and not request_user(request).unit_id:
        return render(request, "no_unit.html", {"heading": _("文档模板")})
    return _page(request, _unit(request), {})


@login_required
@require_GET
@unit_kind
def template_download(request: HttpRequest, unit: Unit, kind: str) -> HttpResponseBase:
    """The template a document of the unit is written into now (its own, an ancestor's or the
    default), to edit in Word."""
    response = HttpResponse(
        templating.template_bytes(unit.code, kind), content_type=files.DOCX_MIME
    )
    label = DocumentKind(kind).label
    name = _("%(u)s%(k)s模板.docx") % {"u": unit.name, "k": label}
    response["Content-Disposition"] = files.attachment(name)
    return response


@login_required
@require_POST
@unit_kind
def template_upload(request: HttpRequest, unit: Unit, kind: str) -> HttpResponseBase:
    user = request_user(request)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("请选择要上传的 .docx 模板文件。"))
        templating.template_upload(user=user, unit=unit, kind=kind, upload=upload)
    except ValidationError as exc:
        return _page(request, unit, {kind: exc.messages}, status=400)
    messages.success(request, _("模板已上传，%(u)s及其下级单位将使用它。") % {"u": unit.name})
    return _back(unit)


@login_required
@require_POST
@unit_kind
def template_revert(request: HttpRequest, unit: Unit, kind: str) -> HttpResponseBase:
    templating.template_revert(user=request_user(request), unit=unit, kind=kind)
    messages.success(request, _("已停用本单位的模板，改用默认模板（停用的模板可重新启用）。"))
    return _back(unit)


@login_required
@require_POST
def template_restore(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    template = get_object_or_404(
        DocumentTemplate.objects.filter(user.scope.q("unit_id")).defer("content"), pk=pk
    )
    if not can_manage(user, template.unit_id):
        raise PermissionDenied(_("只有本单位的管理员可以更换文档模板。"))
    templating.template_restore(user=user, template=template)
    messages.success(request, _("已重新启用该模板。"))
    return _back(template.unit)
