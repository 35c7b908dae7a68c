from django.urls import path

from xuanwen.records.urls import import_paths, record_paths

from . import views, views_excel

app_name = "designations"
urlpatterns = [
    *record_paths(views.designation_list, views.designation_detail, views.PAGES),
    # Excel: import template, import (upload → preview → confirm), the data export of the
    # filtered list, and the same list as a report table (title, names, totals).
    *import_paths(views_excel.FLOW, views_excel.export),
    path("report.xlsx", views_excel.report, name="report"),
]
