"""The JSON API operations every record type repeats, written once: list, detail, create,
replace (PUT), patch (PATCH) and delete, on django-ninja.

A record type's api.py declares its record once, then registers each operation in one
statement that names its path, schemas, selector and service, so the file still reads as the
list of its operations:

    activities = RecordApi(
        router, __name__, "{int:activity_id}/", selectors.get_activity_for_user,
        arg="activity", data=_data, values=_values, nullable={"end_date", "cost"},
    )
    activities.list("", ActivityOut, ListFilter, _search, name="activity_list", summary="…")
    activities.detail(ActivityDetailOut, name="activity_detail", summary="活动详情")
    activities.create(ActivityIn, ActivityDetailOut, services.activity_create, name=…, …)
    activities.update(ActivityIn, ActivityDetailOut, services.activity_update, name="activity",
                      summary="修改活动")  # PUT activity_replace and PATCH activity_patch
    activities.delete(services.activity_delete, name="activity_delete", summary="删除活动")

A dated register (coded kinds, start and end dates) adds its kinds read,
`households.kinds(KindOut, selectors.household_kinds, summary="文化户类型")`, and builds its
writes with `register_data` (unit in scope, kind by code) and `kind_values`.

What every operation does the same way, as the pages do:

- a record is read through the scoped selector `get(user, pk)`: one outside the caller's
  subtree is a 404, the same as one that does not exist (xuanwen.api writes the Chinese
  `detail`); a list's `unit` filter outside the subtree is a 404 too, before anything is read;
- a write builds the service's data with the app's `data(user, values, current)`, which looks
  up what the payload names in scope and asks for the right to write before anything else (so
  a read-only caller always gets 403), then calls the service (rights, rules, atomic save and
  audit live there); `current` is the record being changed, None on create;
- a PATCH starts from `values(record, change)`, the record's values as a payload, and refuses
  null except for the fields named `nullable`;
- a write answers with the record read again through the selector.

The pieces every app's builders repeat are here too: `page_filter` (a list's rows from the
list page's own filter), `data_as` (values → the service's data class, like the page form's
`cleaned_as`) and `values_of` (record → values, like the edit form's `initial_of`); the
schemas' shared pieces are in `records.schemas`.

Each operation is a plain function whose signature django-ninja reads (`__signature__`: the
request, the path's id, the payload or filters), named and placed in the app's module as the
app's own function was, so operation ids, URL names and the OpenAPI document stay the same.
"""

import dataclasses
import inspect
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import PatchDict, Query, Router, Schema
from ninja.pagination import paginate

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core.bounds import Pages
from xuanwen.core.scope import Scope
from xuanwen.records.filters import RecordFilterSet
from xuanwen.records.forms import DataT, initial_of
from xuanwen.units.models import Unit
from xuanwen.units.selectors import get_unit_for_user

M = TypeVar("M", bound=Model)
D = TypeVar("D")
F = TypeVar("F", bound=Schema)

Values = dict[str, Any]

_PATH_ID = re.compile(r"\{(?:(\w+):)?(\w+)\}")


def writable_unit(user: User, code: str, refusal: str) -> Unit:
    """The unit a payload names: outside the scope a 404, and one the caller may not write in
    a 403 with `refusal`, asked before anything else about the payload."""
    unit = get_unit_for_user(user, code)
    if not can_write(user, unit.code):
        raise PermissionDenied(refusal)
    return unit


def page_filter(
    filters: Callable[[User, Values], RecordFilterSet],
) -> Callable[[User, Schema], QuerySet[Any]]:
    """A list operation's rows: the list page's filter over the query's values, so that the
    page, its export and the API cannot drift apart."""
    return lambda user, f: filters(user, f.model_dump(exclude_none=True)).qs


def data_as(data_class: type[DataT], values: Values, **looked_up: Any) -> DataT:
    """The client's values as a service's data class: each of its fields by name, and
    `looked_up` for those the payload names by code or id (the unit, a type, a person)."""
    names = {f.name for f in dataclasses.fields(data_class)}
    return data_class(**({k: v for k, v in values.items() if k in names} | looked_up))


def values_of(record: Model, payload: type[Schema], **values: Any) -> Values:
    """A record as its payload, for a PATCH to change: each field of `payload` (a foreign
    key's id) and `values` for those the client names otherwise (a kind by its code)."""
    return initial_of(record, payload.model_fields, **values)


def register_data(
    data_class: type[DataT],
    user: User,
    values: Values,
    current: Any,
    *,
    kinds: QuerySet[Any],
    refusal: str,
    missing: str,
) -> DataT:
    """A register's service data from the client's values: the unit looked up in scope (a
    403 with `refusal` where the caller may not write there), the kind by its code among
    `kinds` (the catalogue's live ones; another code is a 400 on `kind` saying `missing`),
    the rest by name. `current` is the record being changed, None on create."""
    unit = writable_unit(user, values["unit"], refusal)
    if current is not None and values["kind"] == current.kind.code:
        # A kind retired since keeps working for the records that already use it.
        kind = current.kind
    else:
        kind = kinds.filter(code=values["kind"]).first()
    if kind is None:
        raise ValidationError({"kind": missing})
    return data_as(data_class, values, unit=unit, kind=kind)


def kind_values(payload: type[Schema]) -> Callable[[Any, Mapping[str, Any]], Values]:
    """A register's record as its payload for a PATCH: `values_of` with the kind by code."""
    return lambda record, change: values_of(record, payload, kind=record.kind.code)


def refuse_nulls(change: Mapping[str, Any], nullable: Collection[str]) -> None:
    """null is a value only where the field may be empty; elsewhere it is a mistake, named."""
    nulls = [k for k, v in change.items() if v is None and k not in nullable]
    if nulls:
        raise ValidationError({k: _("不能为空。") for k in nulls})


def _param(name: str, annotation: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=annotation)


class RecordApi(Generic[M, D]):
    """One record type's standard operations on `router`.

    `module` is the app's api module (`__name__`), where the operations are placed; `path` the
    record's path under the router with its id, e.g. "{int:activity_id}/"; `get` the scoped
    selector; `arg` the keyword the update and delete services take the record by
    (`activity=`, `log=`, `entry=`); `data` and `values` as described in the module's
    docstring (`values` only where the record has a PATCH).
    """

    def __init__(
        self,
        router: Router,
        module: str,
        path: str,
        get: Callable[[User, Any], M],
        *,
        arg: str,
        data: Callable[[User, Values, M | None], D] | None = None,
        values: Callable[[M, Mapping[str, Any]], Values] | None = None,
        nullable: Collection[str] = (),
    ) -> None:
        match = _PATH_ID.search(path)
        if match is None:
            raise ValueError(f"{path!r} names no id")
        self.router = router
        self.module = module
        self.path = path
        self.collection = path[: match.start()]  # "logs/" for "logs/{int:log_id}/"
        self.id_name = match.group(2)
        self.id_type: type = int if match.group(1) == "int" else str
        self.get = get
        self.arg = arg
        self._data = data
        self._values = values
        self.nullable = frozenset(nullable)

    # --- The operations --------------------------------------------------------------------

    def list(
        self,
        path: str,
        response: type[Schema],
        filters: type[F],
        search: Callable[[User, F], QuerySet[M]],
        *,
        name: str,
        summary: str,
        description: str | None = None,
    ) -> None:
        """GET `path`: the subtree's records as `search(user, filters)` finds them, in pages."""

        def body(user: User, filters: F) -> QuerySet[M]:
            unit = getattr(filters, "unit", None)
            if unit:
                get_unit_for_user(user, unit)  # a unit outside the scope is a 404, as elsewhere
            return search(user, filters)

        # The schemas are the app's, given at run time, where ninja reads them from the
        # signature; a static checker cannot follow types built from variables.
        query = Query[filters]  # type: ignore[valid-type]
        rows = list[response]  # type: ignore[valid-type]
        view = self._view(name, body, _param("filters", query), with_id=False)
        self.router.get(path, response=rows, summary=summary, description=description)(
            paginate(Pages)(view)
        )

    def kinds(
        self, response: type[Schema], kinds: Callable[[Scope], QuerySet[Any]], *, summary: str
    ) -> None:
        """GET kinds/ (`kind_list`): a register's catalogue of kinds in use that the caller's
        scope sees (`kinds(scope)`: national ones and its units' own), for the client to name
        a kind by its code."""
        view = self._view("kind_list", lambda user: kinds(user.scope), with_id=False)
        rows = list[response]  # type: ignore[valid-type]  # a schema given at run time
        self.router.get("kinds/", response=rows, summary=summary)(view)

    def detail(self, response: type[Schema], *, name: str, summary: str) -> None:
        """GET the record."""
        view = self._view(name, lambda user, pk: self.get(user, pk))
        self.router.get(self.path, response=response, summary=summary)(view)

    def create(
        self,
        payload: type[Schema],
        response: type[Schema],
        service: Callable[..., M],
        *,
        name: str,
        summary: str,
        parts: Callable[[User, Values], Values] | None = None,
    ) -> None:
        """POST a new record: `service(user=, data=)`; answers 201 with the record.

        `parts(user, values)` gives the service's further arguments for what a record is
        created with (a team's first members), looked up in scope before the data is built,
        so that one outside the scope is a 404 for every role."""

        def body(user: User, payload: Schema) -> M:
            values = payload.model_dump()
            more = parts(user, values) if parts is not None else {}
            record = service(user=user, data=self.data(user, values, None), **more)
            return self.get(user, record.pk)

        view = self._view(name, body, _param("payload", payload), with_id=False)
        # The only status declared, so ninja answers 201 (a tuple is deprecated since ninja 1.7).
        self.router.post(self.collection, response={201: response}, summary=summary)(view)

    def replace(
        self,
        payload: type[Schema],
        response: type[Schema],
        service: Callable[..., object],
        *,
        name: str,
        summary: str,
    ) -> None:
        """PUT every field: `service(user=, <arg>=record, data=)`."""

        def body(user: User, pk: Any, payload: Schema) -> M:
            record = self.get(user, pk)
            self._update(service, user, record, payload.model_dump())
            return self.get(user, pk)

        view = self._view(name, body, _param("payload", payload))
        self.router.put(self.path, response=response, summary=summary)(view)

    def update(
        self,
        payload: type[Schema],
        response: type[Schema],
        service: Callable[..., object],
        *,
        name: str,
        summary: str,
    ) -> None:
        """Both ways to change a record with one `service`: PUT `<name>_replace` with every
        field and PATCH `<name>_patch` with any subset, summarised as `summary`（全部字段） and
        `summary`（部分字段）."""
        self.replace(
            payload, response, service, name=f"{name}_replace", summary=f"{summary}（全部字段）"
        )
        self.patch(
            payload, response, service, name=f"{name}_patch", summary=f"{summary}（部分字段）"
        )

    def patch(
        self,
        payload: type[Schema],
        response: type[Schema],
        service: Callable[..., object],
        *,
        name: str,
        summary: str,
        fields: Callable[[User, Values, M], Values] | None = None,
    ) -> None:
        """PATCH any subset of the fields over the record's `values`.

        A service that takes the changed fields as its own keywords rather than one `data`
        (a plan's heading and content, a completion's date and note) is called with
        `fields(user, values, record)`."""
        if self._values is None:
            raise TypeError("a PATCH needs the record's values")
        values = self._values

        def body(user: User, pk: Any, payload: dict[str, Any]) -> M:
            record = self.get(user, pk)
            refuse_nulls(payload, self.nullable)
            change = {**values(record, payload), **payload}
            if fields is None:
                self._update(service, user, record, change)
            else:
                service(user=user, **{self.arg: record}, **fields(user, change, record))
            return self.get(user, pk)

        change = PatchDict[payload]  # type: ignore[valid-type]  # a schema given at run time
        view = self._view(name, body, _param("payload", change))
        self.router.patch(self.path, response=response, summary=summary)(view)

    def delete(self, service: Callable[..., object], *, name: str, summary: str) -> None:
        """DELETE the record: `service(user=, <arg>=record)`; answers 204."""

        def body(user: User, pk: Any) -> None:
            service(user=user, **{self.arg: self.get(user, pk)})

        self.router.delete(self.path, response={204: None}, summary=summary)(self._view(name, body))

    def writes(
        self,
        payload: type[Schema],
        response: type[Schema],
        create: Callable[..., M],
        update: Callable[..., object],
        delete: Callable[..., object],
        *,
        noun: str,
    ) -> None:
        """A register's three writes as every register names them: `create` as
        `<arg>_create` (登记<noun>), `update` as `<arg>_replace` and `<arg>_patch` (修改<noun>)
        and `delete` as `<arg>_delete` (删除<noun>（可在操作记录中恢复）)."""
        self.create(payload, response, create, name=f"{self.arg}_create", summary=f"登记{noun}")
        self.update(payload, response, update, name=self.arg, summary=f"修改{noun}")
        self.delete(delete, name=f"{self.arg}_delete", summary=f"删除{noun}（可在操作记录中恢复）")

    # --- Pieces ----------------------------------------------------------------------------

    def data(self, user: User, values: Values, current: M | None) -> D:
        if self._data is None:
            raise TypeError("a write needs the record's data")
        return self._data(user, values, current)

    def _update(
        self, service: Callable[..., object], user: User, record: M, values: Values
    ) -> None:
        service(user=user, **{self.arg: record}, data=self.data(user, values, record))

    def _view(
        self,
        name: str,
        body: Callable[..., Any],
        *params: inspect.Parameter,
        with_id: bool = True,
    ) -> Callable[..., Any]:
        """The function ninja registers: the request and the path's id (when `with_id`) and
        `params`, handed to `body` as the signed-in user, the id and the rest by name."""
        id_name = self.id_name

        def view(request: HttpRequest, **kwargs: Any) -> Any:
            user = request_user(request)
            if with_id:
                return body(user, kwargs.pop(id_name), **kwargs)
            return body(user, **kwargs)

        signature = [
            inspect.Parameter(
                "request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest
            )
        ]
        if with_id:
            signature.append(_param(id_name, self.id_type))
        view.__signature__ = inspect.Signature([*signature, *params])  # type: ignore[attr-defined]
        view.__name__ = view.__qualname__ = name
        view.__module__ = self.module
        return view


P = TypeVar("P", bound=Model)
OwnerT = TypeVar("OwnerT", bound=Model)


class PartApi(Generic[OwnerT, P]):
    """The writes of a part of a record (a report or award of an activity, a room of a
    facility, a team's member): POST under its record, PATCH and DELETE by its own id.

    `under` is the record's path with its id and the parts' collection
    ("{int:activity_id}/coverage/"), `path` the part's own ("coverage/{int:coverage_id}/");
    `get_owner` and `get` the scoped selectors of the record and of the part (outside the
    caller's subtree: 404); `owner_arg` and `arg` the keywords the services take them by. A
    service takes the payload's fields as its own keywords, or `kwargs(user, values)` of them
    where the payload names something to look up in scope (a person by id). Every write
    answers with the part read again through `get`.
    """

    def __init__(
        self,
        router: Router,
        module: str,
        *,
        under: str,
        path: str,
        get_owner: Callable[[User, Any], OwnerT],
        get: Callable[[User, Any], P],
        owner_arg: str,
        arg: str,
        response: type[Schema],
        nullable: Collection[str] = (),
    ) -> None:
        self.owner: RecordApi[OwnerT, None] = RecordApi(
            router, module, under, get_owner, arg=owner_arg
        )
        self.part: RecordApi[P, None] = RecordApi(router, module, path, get, arg=arg)
        self.router = router
        self.under = under
        self.response = response
        self.nullable = frozenset(nullable)

    def create(
        self,
        payload: type[Schema],
        service: Callable[..., P],
        *,
        name: str,
        summary: str,
        kwargs: Callable[[User, Values], Values] | None = None,
    ) -> None:
        """POST a new part of the record: `service(user=, <owner_arg>=record, **fields)`."""

        def body(user: User, pk: Any, payload: Schema) -> P:
            owner = self.owner.get(user, pk)
            values = payload.model_dump()
            more = kwargs(user, values) if kwargs is not None else values
            part = service(user=user, **{self.owner.arg: owner}, **more)
            return self.part.get(user, part.pk)

        view = self.owner._view(name, body, _param("payload", payload))
        self.router.post(self.under, response={201: self.response}, summary=summary)(view)

    def update(
        self,
        payload: type[Schema],
        service: Callable[..., P],
        *,
        name: str,
        summary: str,
    ) -> None:
        """PATCH any subset of the part's fields: `service(user=, <arg>=part, **fields)` with
        the part's other fields as they are."""

        def body(user: User, pk: Any, payload: dict[str, Any]) -> P:
            part = self.part.get(user, pk)
            refuse_nulls(payload, self.nullable)
            change = {**values_of(part, payload_type), **payload}
            service(user=user, **{self.part.arg: part}, **change)
            return self.part.get(user, pk)

        payload_type = payload
        change = PatchDict[payload]  # type: ignore[valid-type]  # a schema given at run time
        view = self.part._view(name, body, _param("payload", change))
        self.router.patch(self.part.path, response=self.response, summary=summary)(view)

    def delete(self, service: Callable[..., object], *, name: str, summary: str) -> None:
        """DELETE the part: `service(user=, <arg>=part)`; answers 204."""
        self.part.delete(service, name=name, summary=summary)

    def writes(
        self,
        payload: type[Schema],
        add: Callable[..., P],
        update: Callable[..., P],
        delete: Callable[..., object],
        *,
        noun: str,
    ) -> None:
        """A part's three writes as every part names them: `add` as `<arg>_create`
        (登记<noun>), `update` as `<arg>_patch` (修改<noun>) and `delete` as `<arg>_delete`
        (删除<noun>)."""
        arg = self.part.arg
        self.create(payload, add, name=f"{arg}_create", summary=f"登记{noun}")
        self.update(payload, update, name=f"{arg}_patch", summary=f"修改{noun}")
        self.delete(delete, name=f"{arg}_delete", summary=f"删除{noun}")
