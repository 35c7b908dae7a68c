from django.urls import path

from . import views, views_excel, views_kinds

app_name = "facilities"
urlpatterns = [
    path("", views.facility_list, name="list"),
    path("new/", views.facility_create, name="create"),
    path("kinds/", views_kinds.kind_list, name="kinds"),
    path("kinds/<int:kind_id>/", views_kinds.kind_edit, name="kind_edit"),
    path("<int:pk>/", views.facility_detail, name="detail"),
    path("<int:pk>/edit/", views.facility_edit, name="edit"),
    path("<int:pk>/delete/", views.facility_delete, name="delete"),
    path("<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("<int:pk>/rooms/", views.room_add, name="room_add"),
    path("<int:pk>/equipment/", views.equipment_add, name="equipment_add"),
    path("photo/<int:photo_id>/", views.photo_download, name="photo"),
    path("photo/<int:photo_id>/thumb/", views.photo_thumb, name="photo_thumb"),
    path("photo/<int:photo_id>/delete/", views.photo_delete, name="photo_delete"),
    path("room/<int:room_id>/delete/", views.room_delete, name="room_delete"),
    path("equipment/<int:equipment_id>/delete/", views.equipment_delete, name="equipment_delete"),
    # Excel: import template, import (upload → preview → confirm), export of the filtered list.
    path("import/template.xlsx", views_excel.import_template, name="import_template"),
    path("import/", views_excel.import_upload, name="import"),
    path("import/confirm/", views_excel.import_confirm, name="import_confirm"),
    path("export.xlsx", views_excel.export, name="export"),
]
