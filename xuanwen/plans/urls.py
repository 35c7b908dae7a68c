from django.urls import path

from xuanwen.records.urls import import_paths, record_paths

from . import views, views_excel, views_reports

app_name = "plans"
urlpatterns = [
    *record_paths(
        views.plan_list, views.plan_detail, (views.plan_create, views.plan_edit, views.plan_delete)
    ),
    # Excel: the data export (every field, sections and items) and its import.
    *import_paths(views_excel.FLOW, data=views_excel.data_export),
    path("<int:pk>/submit/", views.plan_submit, name="submit"),
    path("<int:pk>/approve/", views.plan_approve, name="approve"),
    path("<int:pk>/return/", views.plan_return, name="return"),
    path("<int:pk>/revise/", views.plan_revise, name="revise"),
    path("<int:pk>/progress/", views.plan_progress, name="progress"),
    path("<int:pk>/progress/export.xlsx", views_reports.progress_export, name="progress_export"),
    path("<int:pk>/sections/add/", views.section_add, name="section_add"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("sections/<int:pk>/delete/", views.section_delete, name="section_delete"),
    path("sections/<int:pk>/move/", views.section_move, name="section_move"),
    path("sections/<int:pk>/items/add/", views.item_add, name="item_add"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("items/<int:pk>/move/", views.item_move, name="item_move"),
    path("items/<int:pk>/done/", views.item_done, name="item_done"),
]
