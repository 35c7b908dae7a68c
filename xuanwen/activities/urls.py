from django.urls import path

from . import views, views_excel, views_types

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("calendar/", views.activity_calendar, name="calendar"),
    path("types/", views_types.activity_types, name="types"),
    path("types/<int:pk>/active/", views_types.activity_type_active, name="type_active"),
    path("units/", views.unit_choices, name="unit_choices"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/delete/", views.activity_delete, name="delete"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/coverage/", views.coverage_add, name="coverage_add"),
    path("<int:pk>/awards/", views.award_add, name="award_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/thumb/", views.attachment_thumb, name="attachment_thumb"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("coverage/<int:pk>/delete/", views.coverage_delete, name="coverage_delete"),
    path("awards/<int:pk>/delete/", views.award_delete, name="award_delete"),
    # Excel: import template, import (upload → preview → confirm), export of the filtered list.
    path("import/template.xlsx", views_excel.import_template, name="import_template"),
    path("import/", views_excel.import_upload, name="import"),
    path("import/confirm/", views_excel.import_confirm, name="import_confirm"),
    path("export.xlsx", views_excel.export, name="export"),
]
