from django.urls import path

from xuanwen.records.urls import file_paths, import_paths, record_paths

from . import views, views_completions, views_excel, views_reports

app_name = "duties"
urlpatterns = [
    *record_paths(views.duty_list, views.duty_detail, views.PAGES),
    path("defaults/", views.duty_defaults, name="defaults"),
    path("compliance/", views.compliance_page, name="compliance"),
    path("compliance/export.xlsx", views_reports.compliance_export, name="compliance_export"),
    # Excel: the duties' import (template, upload → preview → confirm).
    *import_paths(views_excel.DUTIES_FLOW, data=views_excel.data_export),
    # Completions, their evidence and the businesses a market inspection found.
    path("<int:pk>/complete/", views_completions.completion_create, name="complete"),
    path("completions/", views_completions.completion_list, name="completions"),
    path("completions/<int:pk>/", views_completions.completion_detail, name="completion"),
    path("completions/<int:pk>/edit/", views_completions.completion_edit, name="completion_edit"),
    path(
        "completions/<int:pk>/delete/",
        views_completions.completion_delete,
        name="completion_delete",
    ),
    *file_paths(
        views_completions.EVIDENCE, "completions/<int:pk>/evidence/", "evidence/", "evidence"
    ),
    path("completions/<int:pk>/businesses/", views_completions.business_add, name="business_add"),
    path(
        "businesses/<int:pk>/rectified/",
        views_completions.business_rectified,
        name="business_rectified",
    ),
    path("businesses/<int:pk>/delete/", views_completions.business_delete, name="business_delete"),
    # Excel: the completions' export of the filtered list and their import.
    *import_paths(
        views_excel.COMPLETIONS_FLOW,
        views_excel.completions_export,
        prefix="completions/",
        name="completions_",
        data=views_excel.completions_data_export,
        package=views_excel.completions_data_package,
    ),
]
