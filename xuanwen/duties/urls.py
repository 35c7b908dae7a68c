from django.urls import path

from . import views, views_completions, views_excel

app_name = "duties"
urlpatterns = [
    path("", views.duty_list, name="list"),
    path("new/", views.duty_create, name="create"),
    path("defaults/", views.duty_defaults, name="defaults"),
    path("compliance/", views.compliance_page, name="compliance"),
    path("<int:pk>/", views.duty_detail, name="detail"),
    path("<int:pk>/edit/", views.duty_edit, name="edit"),
    path("<int:pk>/delete/", views.duty_delete, name="delete"),
    path("<int:pk>/complete/", views_completions.completion_create, name="complete"),
    path("completions/", views_completions.completion_list, name="completions"),
    path("completions/<int:pk>/", views_completions.completion_detail, name="completion"),
    path("completions/<int:pk>/edit/", views_completions.completion_edit, name="completion_edit"),
    path(
        "completions/<int:pk>/delete/",
        views_completions.completion_delete,
        name="completion_delete",
    ),
    path(
        "completions/<int:pk>/evidence/",
        views_completions.evidence_upload,
        name="evidence_upload",
    ),
    path("completions/<int:pk>/businesses/", views_completions.business_add, name="business_add"),
    path("evidence/<int:pk>/", views_completions.evidence_download, name="evidence"),
    path("evidence/<int:pk>/thumb/", views_completions.evidence_thumb, name="evidence_thumb"),
    path("evidence/<int:pk>/delete/", views_completions.evidence_delete, name="evidence_delete"),
    path(
        "businesses/<int:pk>/rectified/",
        views_completions.business_rectified,
        name="business_rectified",
    ),
    path("businesses/<int:pk>/delete/", views_completions.business_delete, name="business_delete"),
    # Excel: completions export of the filtered list and import; duties import (template,
    # upload, confirm).
    path("completions/export.xlsx", views_excel.completions_export, name="completions_export"),
    path(
        "completions/import/template.xlsx",
        views_excel.completions_import_template,
        name="completions_import_template",
    ),
    path("completions/import/", views_excel.completions_import_upload, name="completions_import"),
    path(
        "completions/import/confirm/",
        views_excel.completions_import_confirm,
        name="completions_import_confirm",
    ),
    path("import/template.xlsx", views_excel.import_template, name="import_template"),
    path("import/", views_excel.import_upload, name="import"),
    path("import/confirm/", views_excel.import_confirm, name="import_confirm"),
]
