from django.urls import path

from . import views, views_excel

app_name = "opening"
urlpatterns = [
    path("", views.opening_list, name="list"),
    path("new/", views.opening_create, name="create"),
    path("week/", views.opening_week, name="week"),
    path("<int:pk>/edit/", views.opening_edit, name="edit"),
    path("<int:pk>/delete/", views.opening_delete, name="delete"),
    path("compliance/", views.compliance_unit, name="compliance"),
    path("compliance/<int:facility_id>/", views.compliance_facility, name="facility_compliance"),
    # Excel: import template, import (upload → preview → confirm), export of the filtered list.
    path("import/template.xlsx", views_excel.import_template, name="import_template"),
    path("import/", views_excel.import_upload, name="import"),
    path("import/confirm/", views_excel.import_confirm, name="import_confirm"),
    path("export.xlsx", views_excel.export, name="export"),
]
