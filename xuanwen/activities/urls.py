from django.urls import path

from xuanwen.records.urls import file_paths, import_paths, record_paths

from . import views, views_excel, views_types

app_name = "activities"
urlpatterns = [
    *record_paths(views.activity_list, views.activity_detail, views.PAGES),
    path("calendar/", views.activity_calendar, name="calendar"),
    path("types/", views_types.activity_types, name="types"),
    path("types/<int:pk>/active/", views_types.activity_type_active, name="type_active"),
    path("units/", views.unit_choices, name="unit_choices"),
    # An activity's photos and files, media coverage and awards.
    *file_paths(views.ATTACHMENTS, "<int:pk>/attachments/", "attachments/", "attachment"),
    path("<int:pk>/coverage/", views.coverage_add, name="coverage_add"),
    path("coverage/<int:pk>/delete/", views.coverage_delete, name="coverage_delete"),
    path("<int:pk>/awards/", views.award_add, name="award_add"),
    path("awards/<int:pk>/delete/", views.award_delete, name="award_delete"),
    # Excel: import template, import (upload → preview → confirm), export of the filtered list.
    *import_paths(
        views_excel.FLOW,
        views_excel.export,
        data=views_excel.data_export,
        package=views_excel.data_package,
    ),
]
