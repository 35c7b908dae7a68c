from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_table, name="table"),
    path("records/", views.indicator_records, name="records"),
]
