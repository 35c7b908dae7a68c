from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_index, name="index"),
    path("<int:year>/", views.year_detail, name="year"),
    path("<int:year>/edit/", views.year_edit, name="edit"),
]
