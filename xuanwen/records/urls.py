"""The routes every record type has, written once: the record's own pages and its Excel pages.

An app's `urls.py` lists these groups next to its own routes, naming its views; the paths
and the URL names are the same in every app (`list`, `create`, `detail`, `edit`, `delete`,
`import_template`, `import`, `import_confirm`, `export`), so a template or a test can
`reverse()` them without looking. An app with several record types on one URL map
(people, teams … in `teams`) gives each group a path `prefix` ("people/") and a `name` prefix
("person_"), which make "people/new/" named "person_create". A record's photos and files
(`file_paths`) are routed the same way in every app that keeps them.
"""

from typing import Any

from django.urls import URLPattern, path

from xuanwen.core.imports import ImportFlow

from .pages import RecordPages, Route, StoredFiles, View


def record_paths(
    list_view: Route,
    detail: Route | None,
    pages: RecordPages[Any] | tuple[View, View, View],
    *,
    prefix: str = "",
    name: str = "",
) -> list[URLPattern]:
    """The list (""), the entry form for a new record ("new/"), the record's page
    ("<pk>/", when it has one) and its edit and delete ("<pk>/edit/", "<pk>/delete/"), the
    last three declared by `pages`, or given as (create, edit, delete) views by an app that
    writes its own."""
    create, edit, delete = pages if isinstance(pages, tuple) else pages.views()
    return [
        path(prefix, list_view, name=f"{name}list"),
        path(f"{prefix}new/", create, name=f"{name}create"),
        *([path(f"{prefix}<int:pk>/", detail, name=f"{name}detail")] if detail else []),
        path(f"{prefix}<int:pk>/edit/", edit, name=f"{name}edit"),
        path(f"{prefix}<int:pk>/delete/", delete, name=f"{name}delete"),
    ]


def import_paths(
    flow: ImportFlow,
    export: Route | None = None,
    *,
    prefix: str = "",
    name: str = "",
    data: Route | None = None,
    package: Route | None = None,
) -> list[URLPattern]:
    """The import of `flow`: its template ("import/template.xlsx"), the upload with its
    preview ("import/") and the confirmation ("import/confirm/"); the list's `export`
    ("export.xlsx") when there is one, and its data export (`data`, "data.xlsx", every field
    and sub-record in the import's shape: records.excel.DataBook) with, for a record type that
    has files, its data package (`package`, "data.zip": the same workbook with the photos and
    files, records.package)."""
    template, upload, confirm = flow.views()
    paths = [
        path(f"{prefix}import/template.xlsx", template, name=f"{name}import_template"),
        path(f"{prefix}import/", upload, name=f"{name}import"),
        path(f"{prefix}import/confirm/", confirm, name=f"{name}import_confirm"),
    ]
    if export is not None:
        paths.append(path(f"{prefix}export.xlsx", export, name=f"{name}export"))
    if data is not None:
        paths.append(path(f"{prefix}data.xlsx", data, name=f"{name}data_export"))
    if package is not None:
        paths.append(path(f"{prefix}data.zip", package, name=f"{name}data_package"))
    return paths


def file_paths(files: StoredFiles, upload: str, item: str, name: str) -> list[URLPattern]:
    """A record's photos and files, declared by `files`: the upload to the record (`upload`,
    e.g. "<int:pk>/photos/"), and one file's download (`item`, e.g. "photo/", then its id),
    thumbnail and deletion, named `<name>_upload`, `<name>`, `<name>_thumb` and
    `<name>_delete`."""
    upload_view, download, thumb, delete = files.views()
    one = f"{item}<int:{files.param}>/"
    return [
        path(upload, upload_view, name=f"{name}_upload"),
        path(one, download, name=name),
        path(f"{one}thumb/", thumb, name=f"{name}_thumb"),
        path(f"{one}delete/", delete, name=f"{name}_delete"),
    ]
