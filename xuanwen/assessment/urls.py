from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.scheme_list, name="list"),
    path("schemes/new/", views.scheme_new, name="scheme_new"),
    path("schemes/<int:pk>/", views.scheme_page, name="scheme"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/copy/", views.scheme_copy, name="scheme_copy"),
    path("schemes/<int:pk>/score/", views.score, name="score"),
    path("adjustments/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("runs/<int:pk>/", views.run_page, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="progress"),
    path("runs/<int:pk>/publish/", views.run_publish, name="publish"),
    path("runs/<int:pk>/export.xlsx", views.run_export, name="export"),
    path("results/<int:pk>/", views.unit_result, name="unit"),
]
