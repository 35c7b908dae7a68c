from django.urls import path

from xuanwen.records.urls import file_paths, import_paths, record_paths

from . import views, views_excel, views_kinds

app_name = "facilities"
urlpatterns = [
    *record_paths(views.facility_list, views.facility_detail, views.PAGES),
    path("kinds/", views_kinds.kind_list, name="kinds"),
    path("kinds/<int:kind_id>/", views_kinds.kind_edit, name="kind_edit"),
    # A facility's photos, rooms and equipment.
    *file_paths(views.PHOTOS, "<int:pk>/photos/", "photo/", "photo"),
    path("<int:pk>/rooms/", views.room_add, name="room_add"),
    path("room/<int:room_id>/delete/", views.room_delete, name="room_delete"),
    path("<int:pk>/equipment/", views.equipment_add, name="equipment_add"),
    path("equipment/<int:equipment_id>/delete/", views.equipment_delete, name="equipment_delete"),
    # Excel: import template, import (upload → preview → confirm), export of the filtered list.
    *import_paths(
        views_excel.FLOW,
        views_excel.export,
        data=views_excel.data_export,
        package=views_excel.data_package,
    ),
]
