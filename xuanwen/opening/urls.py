from django.urls import path

from xuanwen.records.urls import import_paths

from . import views, views_excel, views_reports

app_name = "opening"
urlpatterns = [
    path("", views.opening_list, name="list"),
    path("new/", views.opening_create, name="create"),
    path("week/", views.opening_week, name="week"),
    path("<int:pk>/edit/", views.opening_edit, name="edit"),
    path("<int:pk>/delete/", views.opening_delete, name="delete"),
    # Excel: import template, import (upload → preview → confirm), export of the filtered list.
    *import_paths(views_excel.FLOW, views_excel.export, data=views_excel.data_export),
    path("compliance/", views.compliance_unit, name="compliance"),
    path("compliance/export.xlsx", views_reports.compliance_export, name="compliance_export"),
    path("compliance/<int:facility_id>/", views.compliance_facility, name="facility_compliance"),
]
