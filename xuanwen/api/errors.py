"""The errors every operation can answer, declared once in the OpenAPI document.

The exception handlers in `xuanwen.api.api` answer the same way for every operation (a 401 for
a missing or refused token, a 404 for what is not in the caller's scope, a 422 for a parameter
of the wrong type or range, a 400 for a rule, a 403 for a write the caller may not make), so
their statuses are added here to each operation of the document rather than to every app's
`response=` (where they would also change the status ninja picks for a plain return: a create's
201 is its only declared status). A client, and the Schemathesis run in CI
(`scripts/fuzz_api.sh`, which fails on an answer whose status the document does not declare),
can then rely on the document for every answer.
"""

from typing import Any

from ninja import NinjaAPI, Schema
from ninja.openapi.schema import OpenAPISchema


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """Every error's body: `detail` in Chinese, and `errors` by field where there are fields to
    name (a 422's parameters, a service's rules)."""

    detail: str
    errors: list[FieldErrorOut] | None = None


# What each error means, in the document's language (its summaries are Chinese).
DESCRIPTIONS = {
    400: "不符合规则（detail 说明原因，errors 指出字段）",
    401: "未认证：缺少令牌，或令牌无效、过期、已撤销",
    403: "无权执行此操作",
    404: "未找到，或不在您的管辖范围内",
    422: "请求参数有误（errors 指出字段）",
}
_WRITES = frozenset({"post", "put", "patch", "delete"})
_REF = {"$ref": "#/components/schemas/ErrorOut"}


def error_statuses(method: str, operation: dict[str, Any]) -> set[int]:
    """The errors an operation of the document can answer:

    - 401 wherever a token is required;
    - 400 (a rule; a period the query names that does not parse), 404 (an id, a unit or
      another record the request names that is not in the caller's scope) and 422 (a
      parameter or field of the wrong type or range) wherever the request carries input;
    - 403 on every write (the caller's role or unit may not write there).
    """
    statuses = set()
    if operation.get("security"):
        statuses.add(401)
    if operation.get("parameters") or operation.get("requestBody"):
        statuses |= {400, 404, 422}
    if method in _WRITES:
        statuses |= {400, 403, 404, 422}
    return statuses


def declare_errors(document: dict[str, Any]) -> None:
    """Add each operation's `error_statuses` to the OpenAPI `document`, with `ErrorOut`."""
    schemas = document["components"]["schemas"]
    for model in (FieldErrorOut, ErrorOut):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schema.pop("$defs", None)
        schemas[model.__name__] = schema
    for operations in document["paths"].values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in sorted(error_statuses(method, operation)):
                responses.setdefault(
                    status,
                    {
                        "description": DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": _REF}},
                    },
                )


class XuanwenApi(NinjaAPI):
    """NinjaAPI whose OpenAPI document declares every operation's errors."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        declare_errors(document)
        return document
