"""Pages of people (/people/), teams (/teams/), training classes (/training/) and honours
(/honours/). Mounted at the site root."""

from django.urls import path

from xuanwen.records.urls import import_paths, record_paths

from . import views, views_excel, views_teams, views_training

app_name = "teams"
urlpatterns = [
    # People
    *record_paths(
        views.person_list, views.person_detail, views.PERSON_PAGES, prefix="people/", name="person_"
    ),
    *import_paths(
        views_excel.PEOPLE_FLOW,
        views_excel.people_export,
        prefix="people/",
        name="people_",
        data=views_excel.people_data_export,
    ),
    # Teams, their members and performances, and the genres admins maintain
    *record_paths(
        views_teams.team_list,
        views_teams.team_detail,
        views_teams.TEAM_PAGES,
        prefix="teams/",
        name="team_",
    ),
    *import_paths(
        views_excel.TEAMS_FLOW,
        views_excel.teams_export,
        prefix="teams/",
        name="teams_",
        data=views_excel.team_data_export,
    ),
    path("teams/genres/", views_teams.genre_list, name="genre_list"),
    path("teams/team-genres/<int:pk>/active/", views_teams.genre_active, name="genre_active"),
    path("teams/<int:pk>/members/", views_teams.member_add, name="member_add"),
    path("teams/team-members/<int:pk>/delete/", views_teams.member_remove, name="member_remove"),
    path("teams/<int:pk>/performances/", views_teams.performance_add, name="performance_add"),
    path(
        "teams/<int:pk>/performances/choices/",
        views_teams.performance_choices,
        name="performance_choices",
    ),
    path(
        "teams/team-performances/<int:pk>/delete/",
        views_teams.performance_remove,
        name="performance_remove",
    ),
    # Training classes, their sessions, trainees and the roll call
    *record_paths(
        views_training.training_list,
        views_training.training_detail,
        views_training.TRAINING_PAGES,
        prefix="training/",
        name="training_",
    ),
    *import_paths(
        views_excel.TRAINING_FLOW,
        views_excel.training_export,
        prefix="training/",
        name="training_",
        data=views_excel.training_data_export,
    ),
    path("training/<int:pk>/sessions/", views_training.session_add, name="session_add"),
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
    path("training/<int:pk>/trainees/", views_training.trainee_add, name="trainee_add"),
    path(
        "training/trainees/<int:pk>/delete/",
        views_training.trainee_remove,
        name="trainee_remove",
    ),
    # Honours
    *record_paths(
        views.honour_list,
        views.honour_detail,
        views.HONOUR_PAGES,
        prefix="honours/",
        name="honour_",
    ),
    *import_paths(
        views_excel.HONOURS_FLOW,
        views_excel.honours_export,
        prefix="honours/",
        name="honours_",
        data=views_excel.honours_data_export,
    ),
]
