from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("search/", views.unit_search, name="search"),
    path("options/", views.unit_options, name="options"),
    path("<str:code>/", views.unit_detail, name="detail"),
    path("<str:code>/edit/", views.unit_edit, name="edit"),
    path("<str:code>/delete/", views.unit_delete, name="delete"),
]
