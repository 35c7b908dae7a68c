"""The pages every record type has, written once: the filtered list, the record's page, the
entry form (create and edit), delete, uploads and their stored files, the htmx sections of a
detail page, and the catalogue of a shared list of types (activity types, team genres).

Each piece is a plain function or one small declaration; an app's `views.py` keeps its own
view functions (and their decorators) and calls these, so a reader sees in a few lines which
selector reads, which form parses, which service writes and which template shows. The rules
stay in the app's services; these pieces only wire a request to them:

- a record is read through the app's scoped selector (another unit's record is a 404);
- the right to write is checked before a form is shown (403) and again by the service;
- a service's ValidationError lands on the form's fields (`errors_to_form`), never a 500;
- the same URL answers htmx with a fragment and a browser with a page (`Vary: HX-Request`).
"""

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise, cached_property
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core import files
from xuanwen.core.entry import errors_to_form, is_htmx
from xuanwen.core.header import Header, header
from xuanwen.core.imports import Rejected
from xuanwen.core.scope import Scope
from xuanwen.units.pickers import picked_unit, unit_options, writable_units

from .filters import RecordFilterSet
from .selectors import one_or_404
from .vocab import KindT, kind_owner, visible_kinds

RecordT = TypeVar("RecordT", bound=Model)
T = TypeVar("T")
View = Callable[..., HttpResponse]
# Where a batch's rule error goes on a form posting many rows (a week of openings): row i's
# error of field `name` on the form field `row_field(i, name)`, None for above the form.
RowField = Callable[[int, str], str | None]
# Any view a URL may route to, a download (FileResponse) included.
Route = Callable[..., HttpResponseBase]

PAGE_SIZE = 50
# More files than this in one post is not a phone user picking photos; refuse it whole.
MAX_FILES_PER_POST = 20


# --- The list ------------------------------------------------------------------------------


class _ColumnPages(Paginator):
    """Pages of a few columns of the records, counted on the records themselves: the COUNT
    then leaves out the joins that only the shown columns (`kind__name`) need."""

    def __init__(self, rows: QuerySet[Any], per_page: int, records: QuerySet[Any]) -> None:
        super().__init__(rows, per_page)
        self.records = records

    @cached_property
    def count(self) -> int:
        return self.records.count()


def list_page(
    request: HttpRequest,
    filters: RecordFilterSet,
    *,
    template: str,
    title: str | Promise | None = None,
    partial: str | None = None,
    context: Mapping[str, Any] | None = None,
    page_size: int = PAGE_SIZE,
    rows: Callable[[list[Any]], object] | None = None,
    fields: Sequence[str] | None = None,
) -> HttpResponse:
    """One page of the filtered records: `page`, the filter's values as `f`, the query string
    without the page as `query` (the pager and the export link keep the filter), headed by
    `title` (see `header`); with
    `partial`, htmx gets only the results fragment. `rows` sees the page's records once read,
    to mark what the user may see of each (a person's phone). With `fields`, the page's rows
    are named tuples of just those columns (`kind__name` across a relation): a list showing a
    line of each record then builds no model objects it only reads a few fields of."""
    if fields is None:
        pages = Paginator(filters.qs, page_size)
    else:
        pages = _ColumnPages(filters.qs.values_list(*fields, named=True), page_size, filters.qs)
    page: Any = pages.get_page(request.GET.get("page"))
    if rows is not None:
        page.object_list = list(page.object_list)
        rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    full = {"page": page, "f": filters.values, "query": query.urlencode(), **(context or {})}
    if title is not None:
        full.update(header(title))
    if partial is None:
        return render(request, template, full)
    response = render(request, partial if is_htmx(request) else template, full)
    # The same URL answers with a fragment or a page; caches and history must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@dataclass
class RegisterRow:
    """One line of a dated register's list as records/_register_results.html shows it: a link,
    the record's name and a line of plain text (escaped by the template)."""

    url: str
    name: str
    meta: str  # kind · unit · dates …, joined by the view once per row
    undated: bool = False  # no start date: counted in no period (待补日期)
    revoked: bool = False  # ended (已撤销), where the register says so on the line
    # The meta line as the page shows it, marks included: set by register_rows.
    shown: str = ""


def register_rows(
    list_url: str, row: Callable[[str, Any], RegisterRow]
) -> Callable[[list[Any]], None]:
    """`list_page(rows=…)` of a register: the page's rows become their lines in place, each
    from its named tuple and its own URL (the list's and its id: one reverse for the page,
    not one per row). The line is joined in Python rather than by a dozen template tags."""

    def rows(found: list[Any]) -> None:
        url = reverse(list_url)
        # The marks once per page, not a {% translate %} and two {% if %}s per row.
        undated = format_html(' · <span class="std-bad">{}</span>', _("待补日期"))
        revoked = format_html(" · {}", _("已撤销"))
        for i, r in enumerate(found):
            line = row(f"{url}{r.pk}/", r)
            marks = (undated if line.undated else "", revoked if line.revoked else "")
            line.shown = mark_safe(escape(line.meta) + "".join(marks))  # noqa: S308 — escaped
            found[i] = line

    return rows


def dates_meta(start: Any, end: Any, words: tuple[str | Promise, str | Promise]) -> list[str]:
    """A line's start and end dates, each said with its word ("%(d)s 建成", "%(d)s 停用")."""
    dates = zip((start, end), words, strict=True)
    return [str(w) % {"d": d.isoformat()} for d, w in dates if d is not None]


def list_view(
    filters: Callable[[User, Any], RecordFilterSet],
    template: str,
    context: Callable[[User], dict[str, Any]],
) -> View:
    """A list page that needs no more than `list_page`: the records of the filter set
    `filters(user, request.GET)`, shown by `template` with `context(user)` beside them."""

    @login_required
    @require_GET
    def records(request: HttpRequest) -> HttpResponse:
        user = request_user(request)
        found = filters(user, request.GET)
        return list_page(request, found, template=template, context=context(user))

    return records


def detail_view(
    get: Callable[[User, int], RecordT],
    template: str,
    context: Callable[[User, RecordT], dict[str, Any]],
) -> View:
    """A record's own page: read through the scoped selector `get` (another unit's record is
    a 404) and shown by `template` with `context(user, record)`."""

    @login_required
    @require_GET
    def detail(request: HttpRequest, pk: int) -> HttpResponse:
        user = request_user(request)
        return render(request, template, context(user, get(user, pk)))

    return detail


# --- Rights --------------------------------------------------------------------------------


def require_write(user: User, unit_code: str, message: str) -> None:
    """403 with `message` unless the user may write for the unit (the service checks again)."""
    if not can_write(user, unit_code):
        raise PermissionDenied(message)


# --- Create, edit, delete ------------------------------------------------------------------


@dataclass(frozen=True)
class RecordPages(Generic[RecordT]):
    """The entry form and delete of one record type, declared; `views()` gives the three
    views (create, edit, delete), each signed in only.

    The form is called as `form(data, user=, units=, <name>=record, initial=)`, the services
    as `create(user=, data=form.to_data())`, `update(user=, <name>=record, data=…)` and
    `delete(user=, <name>=record)`; `name` is also the record's name in the template.
    """

    name: str
    get: Callable[[User, int], RecordT]  # the scoped selector: 404 outside the scope
    form: Callable[..., Any]
    create: Callable[..., RecordT]
    update: Callable[..., RecordT]
    delete: Callable[..., None]
    template: str
    list_url: str  # where a deletion goes back to
    may_create: Callable[[User], bool]
    cannot_create: str | Promise  # 403 messages
    cannot_edit: str | Promise
    created: Callable[[RecordT], str]  # the success message of a create
    saved: Callable[[RecordT], str] | None = None  # of an edit, when not just "已保存。"
    label: Callable[[RecordT], str] = str  # the record named in the deletion message
    initial: Callable[[User], dict[str, Any]] | None = None  # a new record's defaults
    # More for the form's template (the edit page of an activity shows its attachments).
    context: Callable[[User, RecordT | None], dict[str, Any]] | None = None
    picker: bool = True  # the form has the unit picker (its search shows the chosen unit)
    unit_of: Callable[[RecordT], str] = lambda record: record.unit_id  # type: ignore[attr-defined]
    # Check the right to write in the page before deleting (the 403 then says cannot_edit);
    # otherwise the service's own check speaks.
    check_delete: bool = False
    # The pages' header (see `header`): the list's name, the first crumb of the record's
    # page, headed by its label, and of the entry page, headed by `heading` (new, edit).
    crumb: str | Promise | None = None
    heading: tuple[str | Promise, str | Promise] | None = None

    def views(self) -> tuple[View, View, View]:
        return (login_required(self.create_view), login_required(self.edit_view),
                login_required(require_POST(self.delete_view)))  # fmt: skip

    def detail(
        self, template: str, context: Callable[[User, RecordT], dict[str, Any]] | None = None
    ) -> View:
        """The record's own page, read through the same selector (see detail_view), headed by
        its label after the list's crumb; `context(user, record)` is the template's, by
        default the record under its `name` and whether the user may write for its unit."""
        if context is None:
            context = self._detail_context
        if self.crumb is None:
            return detail_view(self.get, template, context)
        crumb = (self.list_url, self.crumb)
        return detail_view(
            self.get,
            template,
            lambda user, record: {**header(self.label(record), crumb), **context(user, record)},
        )

    def _detail_context(self, user: User, record: RecordT) -> dict[str, Any]:
        return {self.name: record, "can_write": can_write(user, self.unit_of(record))}

    def register_list(
        self,
        filters: Callable[[User, Any], RecordFilterSet],
        *,
        kinds: Callable[[Scope], QuerySet[Any]],
        fields: Sequence[str],
        row: Callable[[str, Any], RegisterRow],
        context: Callable[[User], dict[str, Any]] | None = None,
    ) -> View:
        """The list page of a dated register, signed in only, headed by `crumb`: the records
        of the filter set `filters(user, request.GET)` as the columns `fields`, each made a
        line by `row` (see register_rows), shown by `<app>/list.html` (htmx gets
        `<app>/_results.html`; `<app>` is `list_url`'s namespace) with the filter bar's kinds
        (code and name), the user's units, whether they may add a record and `context(user)`."""
        app = self.list_url.split(":")[0]
        title = self.crumb

        @login_required
        @require_GET
        def records(request: HttpRequest) -> HttpResponse:
            user = request_user(request)
            found = filters(user, request.GET)
            full = {
                "form": found.form,
                "kinds": list(
                    kinds(user.scope).values("code", "name")
                ),  # the select needs no objects
                "unit_options": unit_options(user, found.values["unit"]),
                "may_create": self.may_create(user),
                **(context(user) if context else {}),
            }
            return list_page(request, found, template=f"{app}/list.html", title=title,
                             partial=f"{app}/_results.html", context=full, fields=fields,
                             rows=register_rows(self.list_url, row))  # fmt: skip

        return records

    def create_view(self, request: HttpRequest) -> HttpResponse:
        user = request_user(request)
        if not self.may_create(user):
            raise PermissionDenied(str(self.cannot_create))
        return self._entry(request, user, None)

    def writable(self, user: User, pk: int) -> RecordT:
        """The record for a page that changes it or its parts (photos, rooms …): a 404
        outside the scope, a 403 saying `cannot_edit` unless the user may write for it."""
        record = self.get(user, pk)
        require_write(user, self.unit_of(record), str(self.cannot_edit))
        return record

    def edit_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request_user(request)
        return self._entry(request, user, self.writable(user, pk))

    def delete_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request_user(request)
        record = self.get(user, pk)
        if self.check_delete:
            require_write(user, self.unit_of(record), str(self.cannot_edit))
        try:
            self.delete(user=user, **{self.name: record})
        except ValidationError as exc:  # a record of a locked period: said on its page
            messages.error(request, "；".join(exc.messages))
            return redirect(record.get_absolute_url())  # type: ignore[attr-defined]
        return deleted(request, self.label(record), self.list_url)

    def _entry(self, request: HttpRequest, user: User, record: RecordT | None) -> HttpResponse:
        initial = self.initial(user) if record is None and self.initial else None
        form = self.form(
            posted(request),
            files=request.FILES if request.method == "POST" else None,
            user=user,
            units=writable_units(user),
            **{self.name: record},
            **({"initial": initial} if initial else {}),
        )

        def context() -> dict[str, Any]:
            more = self.context(user, record) if self.context else {}
            picked = {"picked": picked_unit(form, user)} if self.picker else {}
            return {**self._header(record), **more, self.name: record, **picked}

        # Every record type has a detail page (get_absolute_url), where a save goes.
        return entry_page(
            request,
            form,
            lambda: self._save(user, record, form),
            said=lambda saved: self._message(record, saved),
            template=self.template,
            context=context,
        )

    def _header(self, record: RecordT | None) -> dict[str, Header]:
        if self.crumb is None or self.heading is None:
            return {}
        if record is None:
            return header(self.heading[0], (self.list_url, self.crumb))
        crumbs = (self.list_url, self.crumb), (record, self.label(record))
        return header(self.heading[1], *crumbs)

    def _save(self, user: User, record: RecordT | None, form: Any) -> RecordT:
        # `to_data` may write too (a team's leader made from the name typed): with the
        # record, or not at all.
        with transaction.atomic():
            if record is None:
                return self.create(user=user, data=form.to_data())
            return self.update(user=user, data=form.to_data(), **{self.name: record})

    def _message(self, record: RecordT | None, saved: RecordT) -> str:
        if record is None:
            return self.created(saved)
        return self.saved(saved) if self.saved else _("已保存。")


def posted(request: HttpRequest) -> Any:
    """An entry form's data: the post, or None for the empty form of a GET."""
    return request.POST if request.method == "POST" else None


def entry_page(
    request: HttpRequest,
    form: Any,
    save: Callable[[], T],
    *,
    template: str = "",
    context: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
    said: Callable[[T], str] = lambda saved: _("已保存。"),
    to: Callable[[T], Any] = lambda saved: saved,
    answer: Callable[[T], HttpResponse] | None = None,
    shown: Callable[[dict[str, Any]], HttpResponse] | None = None,
    row_field: RowField | None = None,
) -> HttpResponse:
    """The body of every create and edit page: a valid post runs `save` (the app's service,
    reading the form's cleaned values), says `said(saved)` and goes `to(saved)` (what
    `redirect` takes; the saved record's own page by default); a rule error of the service
    lands on the form's fields. Otherwise the form again, as `form` beside `context` (a
    callable when it reads the database, so a save that goes on does not read it).

    A form edited in place on another page (a plan's sections and items, by htmx) answers a
    save with `answer(saved)` instead, and shows itself with `shown(context)` instead of
    rendering `template`.

    A form posting many rows to a batch service (seven days at once) names with `row_field`
    the field each row's problem goes on when the service refuses the batch (see save_form)."""
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, save, row_field=row_field)
        if saved is not None:
            if answer is not None:
                return answer(saved)
            messages.success(request, said(saved))
            return redirect(to(saved))
    more = context() if callable(context) else context
    full = {**(more or {}), "form": form}
    return shown(full) if shown is not None else render(request, template, full)


def deleted(request: HttpRequest, label: str, to: str) -> HttpResponse:
    """After a (soft) deletion: say what went and that the audit page can bring it back."""
    messages.success(request, _("已删除“%(name)s”，可在操作记录中恢复。") % {"name": label})
    return redirect(to)


def said(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    """Run a service for a plain post (a button): say `done`, or its refusal as an error
    message for the page the user goes back to. Whether it went through."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return False
    messages.success(request, done)
    return True


def save_form(form: Any, save: Callable[[], T], *, row_field: RowField | None = None) -> T | None:
    """Run a service; on a rule error put its messages on the form's fields and return None.

    A batch service refuses its rows with `Rejected` ({row index: {field: message}}); with
    `row_field` each problem goes on the form field it names, otherwise the messages
    ("第 N 行：…") go above the form."""
    try:
        return save()
    except ValidationError as exc:
        if row_field is not None and isinstance(exc, Rejected):
            for i, errors in sorted(exc.problems.items()):
                for name, message in errors.items():
                    target = row_field(i, name)
                    form.add_error(target if target in form.fields else None, message)
        else:
            errors_to_form(form, exc)
        return None


# --- Uploads -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadWords:
    """What an upload says: photos only, or photos and files."""

    none: str
    too_many: str  # with %(n)s
    done: str  # with %(n)s


def photo_words() -> UploadWords:
    return UploadWords(
        none=_("请选择要上传的照片。"),
        too_many=_("一次最多上传 %(n)s 张照片。"),
        done=_("已上传 %(n)s 张照片。"),
    )


def file_words() -> UploadWords:
    return UploadWords(
        none=_("请选择要上传的照片或文件。"),
        too_many=_("一次最多上传 %(n)s 个文件。"),
        done=_("已上传 %(n)s 个文件。"),
    )


def upload_files(
    request: HttpRequest,
    uploads: list[UploadedFile],
    add: Callable[[files.CheckedUpload], Any],
    *,
    back: str,
    words: UploadWords,
) -> HttpResponse:
    """Check and store each upload through `add` (the app's service), then go `back`.

    Each file stands alone: one refused file does not cost the others, and its reason is
    shown by name. More than MAX_FILES_PER_POST at once is refused whole.
    """
    if not uploads:
        messages.error(request, words.none)
        return redirect(back)
    if len(uploads) > MAX_FILES_PER_POST:
        messages.error(request, words.too_many % {"n": MAX_FILES_PER_POST})
        return redirect(back)
    saved = 0
    for upload in uploads:
        try:
            add(files.check_upload(upload))
            saved += 1
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    if saved:
        messages.success(request, words.done % {"n": saved})
    return redirect(back)


def stored_file(record: Any, *, inline: bool) -> FileResponse:
    """A stored upload (photo, attachment, evidence) under its original name; `inline` opens
    it in the browser (a phone shows a photo full screen), otherwise it downloads."""
    return files.serve_stored(record.file, record.content_type, record.original_name, inline=inline)


def stored_thumb(record: Any, missing: str) -> FileResponse:
    """A stored photo's thumbnail (JPEG), or 404 with `missing` when it has none."""
    if not record.thumbnail:
        raise Http404(missing)
    name = os.path.splitext(record.original_name)[0] + ".jpg"
    return files.serve_stored(record.thumbnail, "image/jpeg", name, inline=True)


@dataclass(frozen=True)
class StoredFiles:
    """The stored uploads of a record's page (an activity's attachments, a facility's photos):
    `views()` gives their upload, download, thumbnail and delete views.

    An upload goes into the record `owner(user, pk)` reads (the app's scoped selector: a 404
    outside the scope, and a 403 unless the user may write for it), each file through the
    service `add(user=, <of>=record, upload=)` (see `upload_files`). A file is read through
    the scoped selector `get` (another unit's file is a 404) and deleted through the service
    `delete(user=, <arg>=item)`, whose refusal is said as an error. Both go back to the
    record's page at the files (`#<anchor>`). The file views take the file's id as the URL
    parameter `param`, the upload the record's as `pk`.
    """

    owner: Callable[[User, int], Any]
    add: Callable[..., Any]
    of: str  # the record's keyword for `add`, and the files' link to their record
    get: Callable[[User, int], Any]
    delete: Callable[..., Any]
    arg: str
    anchor: str  # the files' part of the record's page
    deleted: str | Promise  # the deletion's message, with %(name)s
    no_thumb: str | Promise  # the 404 of a file without a thumbnail
    # Whether a download opens in the browser (a phone shows a photo full screen).
    inline: Callable[[HttpRequest, Any], bool] = lambda request, item: True
    param: str = "pk"
    # Photos only, posted as "photos"; otherwise photos and files, posted as "files".
    photos_only: bool = False
    # The record's edit page (URL name), when its form uploads too: an upload posted there
    # with back=edit goes back to it.
    edit: str = ""

    def views(self) -> tuple[View, Route, Route, Route]:
        return (login_required(require_POST(self.upload_view)),
                login_required(require_GET(self.download_view)),
                login_required(require_GET(self.thumb_view)),
                login_required(require_POST(self.delete_view)))  # fmt: skip

    def upload_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request_user(request)
        record = self.owner(user, pk)
        page = record.get_absolute_url()
        if self.edit and request.POST.get("back") == "edit":
            page = reverse(self.edit, args=[record.pk])
        field, words = ("photos", photo_words()) if self.photos_only else ("files", file_words())
        return upload_files(
            request,
            request.FILES.getlist(field),
            lambda upload: self.add(user=user, **{self.of: record}, upload=upload),
            back=f"{page}#{self.anchor}",
            words=words,
        )

    def _item(self, request: HttpRequest, kwargs: dict[str, int]) -> Any:
        return self.get(request_user(request), kwargs[self.param])

    def download_view(self, request: HttpRequest, **kwargs: int) -> FileResponse:
        item = self._item(request, kwargs)
        return stored_file(item, inline=self.inline(request, item))

    def thumb_view(self, request: HttpRequest, **kwargs: int) -> FileResponse:
        return stored_thumb(self._item(request, kwargs), str(self.no_thumb))

    def delete_view(self, request: HttpRequest, **kwargs: int) -> HttpResponse:
        item = self._item(request, kwargs)
        delete = lambda: self.delete(user=request_user(request), **{self.arg: item})  # noqa: E731
        said(request, delete, str(self.deleted) % {"name": item.original_name})
        return redirect(f"{getattr(item, self.of).get_absolute_url()}#{self.anchor}")


def photo_or_download(kind: str) -> Callable[[HttpRequest, Any], bool]:
    """`StoredFiles.inline` of photos and documents together: a file of `kind` (the photo
    kind) opens in the browser unless ?download asks for it, the others download."""
    return lambda request, item: item.kind == kind and "download" not in request.GET


# --- Sections of a detail page (htmx parts, plain posts without JavaScript) ----------------


@dataclass
class Section:
    """A part of a detail page that adds and deletes its own rows (rooms, awards …).

    With htmx the part is rendered again in place; without JavaScript the browser goes back to
    the detail page at the part's anchor, the form's errors shown as messages.
    """

    template: str
    back: str  # the detail page's URL with the part's anchor
    context: Callable[..., dict[str, Any]]  # the detail context, given the forms by keyword
    forms: dict[str, Any] = field(default_factory=dict)

    def response(self, request: HttpRequest) -> HttpResponse:
        if is_htmx(request):
            return render(request, self.template, self.context(**self.forms))
        for form in self.forms.values():
            flash_errors(request, form)
        return redirect(self.back)


def flash_errors(request: HttpRequest, form: Any) -> None:
    """A form's errors as messages, for a plain post that goes back to the page it came from."""
    for errors in form.errors.values():
        messages.error(request, "；".join(errors))


def add_row(form: Any, add: Callable[..., Any], fresh: Callable[[], Any]) -> Any:
    """Add a section's row from a bound form through the service `add(**cleaned_data)`: the
    fresh, empty form on success, else the same form with the rule errors on its fields."""
    if form.is_valid():
        try:
            add(**form.cleaned_data)
            return fresh()
        except ValidationError as exc:
            errors_to_form(form, exc)
    return form


def section_rows(
    owner: Callable[[User, int], RecordT],
    section: Callable[..., Section],
    *,
    of: str,
    anchor: str,
    arg: str,
    form: Callable[..., Any],
    add: Callable[..., Any],
    get: Callable[[User, int], Any],
    delete: Callable[..., Any],
    fresh: Callable[[RecordT], Any] | None = None,
    param: str = "pk",
) -> tuple[View, View]:
    """The add and delete views of a detail page's section of rows (a facility's rooms, an
    activity's awards). A row is added to the record `owner(user, pk)` reads for writing (403
    otherwise) from `form` through `add(user=, <of>=record, **fields)`, the form then `fresh`
    (or empty) again; a row is read by the scoped selector `get` from the URL's `param` and
    deleted through `delete(user=, <arg>=row)`. Both answer with `section(request, user,
    record, anchor, **forms)`, the form as `<arg>_form`."""

    @login_required
    @require_POST
    def add_view(request: HttpRequest, pk: int) -> HttpResponse:
        user = request_user(request)
        record = owner(user, pk)
        save = lambda **c: add(user=user, **{of: record}, **c)  # noqa: E731
        again = (lambda: fresh(record)) if fresh else form
        forms = {f"{arg}_form": add_row(form(request.POST), save, again)}
        return section(request, user, record, anchor, **forms).response(request)

    @login_required
    @require_POST
    def delete_view(request: HttpRequest, **ids: int) -> HttpResponse:
        user = request_user(request)
        row = get(user, ids[param])
        part = section(request, user, getattr(row, of), anchor)
        try:
            delete(user=user, **{arg: row})
        except ValidationError as exc:
            # Refused (a row of a locked period): the whole page again, with the message.
            messages.error(request, "；".join(exc.messages))
            response = HttpResponse() if is_htmx(request) else redirect(part.back)
            if is_htmx(request):
                response["HX-Redirect"] = part.back
            return response
        return part.response(request)

    return add_view, delete_view


# --- A catalogue of types (activity types, team genres) -------------------------------------


@dataclass(frozen=True)
class Catalogue(Generic[KindT]):
    """The page of a vocabulary of types: admins add one by name and retire or bring back one;
    `views()` gives the page (GET lists, POST adds) and the toggle.

    An admin sees the types their scope sees (national ones and those of their unit and its
    ancestors, see records.models); what they add belongs to their unit, and they may retire
    only their unit's own (national ones: a country-wide admin). Only admins reach these
    pages. The services are called as `create(user=, name=)` and
    `set_active(user=, <arg>=row, active=)`.
    """

    model: type[KindT]
    arg: str  # the row's keyword for `set_active`
    create: Callable[..., KindT]
    set_active: Callable[..., Any]
    may_manage: Callable[[User], bool]
    refused: str | Promise  # the 403 of a user who may not manage them
    missing: str | Promise  # the 404 of an id that names no row
    added: str | Promise  # the success message, with %(name)s
    template: str  # includes records/_catalogue.html, which shows `rows` and `error`
    url: str  # the page's URL name, where both views go back to
    # The page's header (see `header`): its title, after the crumb of the records using them.
    title: str | Promise
    crumb: tuple[str, str | Promise]

    def views(self) -> tuple[View, View]:
        return login_required(self.page_view), login_required(require_POST(self.active_view))

    def _require(self, user: User) -> None:
        if not self.may_manage(user):
            raise PermissionDenied(str(self.refused))

    def page_view(self, request: HttpRequest) -> HttpResponse:
        user = request_user(request)
        self._require(user)
        error = ""
        if request.method == "POST":
            try:
                row: Any = self.create(user=user, name=request.POST.get("name", ""))
            except ValidationError as exc:
                error = "；".join(exc.messages)
            else:
                messages.success(request, str(self.added) % {"name": row.name})
                return redirect(self.url)
        rows = visible_kinds(self.model, user.scope).select_related("owner")
        rows = rows.order_by("ordering", "name")
        context = {
            **header(self.title, self.crumb),
            "rows": rows,
            "error": error,
            "mine": kind_owner(user),
        }
        return render(request, self.template, context)

    def active_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request_user(request)
        row: Any = one_or_404(visible_kinds(self.model, user.scope), pk, str(self.missing))
        self._require(user)
        self.set_active(user=user, **{self.arg: row}, active=not row.active)
        return redirect(self.url)
