from django.urls import path

from xuanwen.records.urls import import_paths, record_paths

from . import views, views_excel, views_reports

app_name = "opening"
urlpatterns = [
    *record_paths(
        views.opening_list,
        None,
        (views.opening_create, views.opening_edit, views.opening_delete),
    ),
    path("week/", views.opening_week, name="week"),
    # Excel: import template, import (upload → preview → confirm), export of the filtered list.
    *import_paths(views_excel.FLOW, views_excel.export, data=views_excel.data_export),
    path("compliance/", views.compliance_unit, name="compliance"),
    path("compliance/export.xlsx", views_reports.compliance_export, name="compliance_export"),
    path("compliance/<int:facility_id>/", views.compliance_facility, name="facility_compliance"),
]
