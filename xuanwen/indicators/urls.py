from django.urls import path

from . import views, views_reports

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_table, name="table"),
    path("export.xlsx", views_reports.indicator_export, name="export"),
    path("records/", views.indicator_records, name="records"),
]
