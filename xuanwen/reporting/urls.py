from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.report_set_list, name="list"),
    path("sets/new/", views.report_set_new, name="set_new"),
    path("sets/<int:pk>/", views.report_set_page, name="set"),
    path("sets/<int:pk>/edit/", views.report_set_edit, name="set_edit"),
    path("sets/<int:pk>/rules/", views.rule_add, name="rule_add"),
    path("sets/<int:pk>/submissions/", views.submission_list, name="submissions"),
    path("sets/<int:pk>/submit/", views.submit, name="submit"),
    path("submissions/<int:pk>/", views.submission_page, name="submission"),
    path("submissions/<int:pk>/approve/", views.approve, name="approve"),
    path("submissions/<int:pk>/return/", views.return_, name="return"),
    path("submissions/<int:pk>/unlock/", views.unlock, name="unlock"),
]
