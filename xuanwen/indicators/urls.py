from django.urls import path

from . import views, views_pivot, views_reports

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_table, name="table"),
    path("export.xlsx", views_reports.indicator_export, name="export"),
    path("records/", views.indicator_records, name="records"),
    path("pivot/", views_pivot.pivot_page, name="pivot"),
    path("pivot.xlsx", views_pivot.pivot_export, name="pivot_export"),
]
