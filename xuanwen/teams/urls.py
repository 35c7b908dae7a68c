"""Pages of people (/people/), teams (/teams/), training classes (/training/) and honours
(/honours/). Mounted at the site root."""

from django.urls import path

from . import views, views_excel, views_teams, views_training

app_name = "teams"
urlpatterns = [
    # People
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/export.xlsx", views_excel.people_export, name="people_export"),
    path(
        "people/import/template.xlsx",
        views_excel.people_import_template,
        name="people_import_template",
    ),
    path("people/import/", views_excel.people_import, name="people_import"),
    path("people/import/confirm/", views_excel.people_import_confirm, name="people_import_confirm"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/delete/", views.person_delete, name="person_delete"),
    # Teams, their members and performances, and the genres admins maintain
    path("teams/", views_teams.team_list, name="team_list"),
    path("teams/new/", views_teams.team_create, name="team_create"),
    path("teams/export.xlsx", views_excel.teams_export, name="teams_export"),
    path(
        "teams/import/template.xlsx",
        views_excel.teams_import_template,
        name="teams_import_template",
    ),
    path("teams/import/", views_excel.teams_import, name="teams_import"),
    path("teams/import/confirm/", views_excel.teams_import_confirm, name="teams_import_confirm"),
    path("teams/genres/", views_teams.genre_list, name="genre_list"),
    path("teams/team-genres/<int:pk>/active/", views_teams.genre_active, name="genre_active"),
    path("teams/<int:pk>/", views_teams.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views_teams.team_edit, name="team_edit"),
    path("teams/<int:pk>/delete/", views_teams.team_delete, name="team_delete"),
    path("teams/<int:pk>/members/", views_teams.member_add, name="member_add"),
    path("teams/<int:pk>/performances/", views_teams.performance_add, name="performance_add"),
    path("teams/team-members/<int:pk>/delete/", views_teams.member_remove, name="member_remove"),
    path(
        "teams/team-performances/<int:pk>/delete/",
        views_teams.performance_remove,
        name="performance_remove",
    ),
    # Training classes, their sessions, trainees and the roll call
    path("training/", views_training.training_list, name="training_list"),
    path("training/new/", views_training.training_create, name="training_create"),
    path("training/export.xlsx", views_excel.training_export, name="training_export"),
    path(
        "training/import/template.xlsx",
        views_excel.training_import_template,
        name="training_import_template",
    ),
    path("training/import/", views_excel.training_import, name="training_import"),
    path(
        "training/import/confirm/",
        views_excel.training_import_confirm,
        name="training_import_confirm",
    ),
    path("training/<int:pk>/", views_training.training_detail, name="training_detail"),
    path("training/<int:pk>/edit/", views_training.training_edit, name="training_edit"),
    path("training/<int:pk>/delete/", views_training.training_delete, name="training_delete"),
    path("training/<int:pk>/sessions/", views_training.session_add, name="session_add"),
    path("training/<int:pk>/trainees/", views_training.trainee_add, name="trainee_add"),
    path(
        "training/training-sessions/<int:pk>/attendance/",
        views_training.attendance,
        name="attendance",
    ),
    path(
        "training/training-sessions/<int:pk>/delete/",
        views_training.session_delete,
        name="session_delete",
    ),
    path(
        "training/trainees/<int:pk>/delete/",
        views_training.trainee_remove,
        name="trainee_remove",
    ),
    # Honours
    path("honours/", views.honour_list, name="honour_list"),
    path("honours/new/", views.honour_create, name="honour_create"),
    path("honours/export.xlsx", views_excel.honours_export, name="honours_export"),
    path(
        "honours/import/template.xlsx",
        views_excel.honours_import_template,
        name="honours_import_template",
    ),
    path("honours/import/", views_excel.honours_import, name="honours_import"),
    path(
        "honours/import/confirm/", views_excel.honours_import_confirm, name="honours_import_confirm"
    ),
    path("honours/<int:pk>/", views.honour_detail, name="honour_detail"),
    path("honours/<int:pk>/edit/", views.honour_edit, name="honour_edit"),
    path("honours/<int:pk>/delete/", views.honour_delete, name="honour_delete"),
]
