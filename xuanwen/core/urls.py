"""The pages of big imports run in the background (core.views_jobs), under /imports/."""

from django.urls import path

from . import views_jobs

app_name = "imports"

urlpatterns = [
    path("", views_jobs.job_list, name="list"),
    path("<int:pk>/", views_jobs.job_page, name="job"),
    path("<int:pk>/status/", views_jobs.job_status, name="status"),
]
