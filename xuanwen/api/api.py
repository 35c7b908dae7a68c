"""The JSON API under /api/v1/: one NinjaAPI, a router per domain app.

Errors are JSON `{"detail": "<Chinese message>"}`; a record outside the caller's scope is the
same 404 as one that does not exist. The OpenAPI document declares on every operation the error
statuses these handlers can answer for it (`errors.XuanwenApi`).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, ValidationError

from xuanwen.activities.api import router as activities_router
from xuanwen.assessment.api import router as assessment_router
from xuanwen.audit.api import router as audit_router
from xuanwen.bookhouses.api import router as bookhouses_router
from xuanwen.designations.api import router as designations_router
from xuanwen.documents.api import router as documents_router
from xuanwen.duties.api import router as duties_router
from xuanwen.facilities.api import router as facilities_router
from xuanwen.households.api import router as households_router
from xuanwen.indicators.api import router as indicators_router
from xuanwen.opening.api import router as opening_router
from xuanwen.plans.api import router as plans_router
from xuanwen.reporting.api import router as reporting_router
from xuanwen.teams.api import router as teams_router
from xuanwen.units.api import router as units_router
from xuanwen.workdays.api import router as workdays_router

from .auth import BearerToken, TokenRefused
from .errors import XuanwenApi

api = XuanwenApi(
    title="宣文 xuanwen API",
    version="1",
    description=(
        "令牌认证：`Authorization: Bearer <token>`（在“我的令牌”页面或用 "
        "`xuanwen token create` 生成）。过期或已撤销的令牌返回 401。"
    ),
    auth=BearerToken(),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url=None,
)
api.add_router("/units/", units_router)
api.add_router("/audit/", audit_router)
api.add_router("/activities/", activities_router)
api.add_router("/indicators/", indicators_router)
api.add_router("/plans/", plans_router)
api.add_router("/workdays/", workdays_router)
api.add_router("/facilities/", facilities_router)
api.add_router("/designations/", designations_router)
api.add_router("/opening/", opening_router)
api.add_router("/duties/", duties_router)
api.add_router("/", teams_router)  # /teams/, /people/, /training/, /honours/
api.add_router("/bookhouses/", bookhouses_router)
api.add_router("/households/", households_router)
api.add_router("/reporting/", reporting_router)
api.add_router("/documents/", documents_router)
api.add_router("/assessment/", assessment_router)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or _("未找到该记录，或您无权查看。")}, status=404
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = (
        exc.message
        if isinstance(exc, TokenRefused)
        else _("未认证：请提供有效的令牌（Authorization: Bearer <token>）。")
    )
    return api.create_response(request, {"detail": detail}, status=401)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or _("无权执行此操作。")}, status=403)


def _pydantic_message(error: dict[str, Any]) -> str:
    """A Chinese message for the usual pydantic error types; pydantic's own for the rest."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("必填。")
    if kind.startswith("int_"):
        return _("应为整数。")
    if kind == "less_than_equal":
        return _("不能大于 %(n)s。") % {"n": ctx.get("le", "")}
    if kind == "greater_than_equal":
        return _("不能小于 %(n)s。") % {"n": ctx.get("ge", "")}
    if kind.startswith(("date_", "datetime_")):
        return _("应为日期，格式为 YYYY-MM-DD。")
    if kind.startswith(("decimal_", "float_")):
        return _("应为数字。")
    if kind.startswith("bool_"):
        return _("应为 true 或 false。")
    if kind == "string_type":
        return _("应为文本。")
    if kind == "string_too_long":
        return _("不能超过 %(n)s 个字。") % {"n": ctx.get("max_length", "")}
    if kind == "json_invalid":
        return _("请求体不是有效的 JSON。")
    return str(error.get("msg", ""))


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])), "message": _pydantic_message(e)}
        for e in exc.errors
    ]
    return api.create_response(
        request, {"detail": _("请求参数有误。"), "errors": errors}, status=422
    )


@api.exception_handler(DjangoValidationError)
def rejected(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A rule a service enforces; `errors` names the fields when the service did."""
    body: dict[str, Any] = {"detail": "；".join(exc.messages)}
    if hasattr(exc, "error_dict"):
        body["errors"] = [
            {"field": name, "message": message}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return api.create_response(request, body, status=400)


def api_not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Unknown paths under /api/v1/ answer in JSON too."""
    return api.create_response(request, {"detail": _("没有这个接口。")}, status=404)
