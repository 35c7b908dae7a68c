from django.urls import include, path

from xuanwen.api.api import api, api_not_found
from xuanwen.audit import signin
from xuanwen.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("menu/", core_views.menu, name="menu"),
    path("login/", signin.LoginView.as_view(), name="login"),
    path("logout/", signin.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("units/", include("xuanwen.units.urls")),
    path("tokens/", include("xuanwen.units.token_urls")),
    path("audit/", include("xuanwen.audit.urls")),
    path("activities/", include("xuanwen.activities.urls")),
    path("indicators/", include("xuanwen.indicators.urls")),
    path("plans/", include("xuanwen.plans.urls")),
    path("workdays/", include("xuanwen.workdays.urls")),
    path("facilities/", include("xuanwen.facilities.urls")),
    path("designations/", include("xuanwen.designations.urls")),
    path("opening/", include("xuanwen.opening.urls")),
    path("duties/", include("xuanwen.duties.urls")),
    # Teams, people, training classes and honours: /teams/, /people/, /training/, /honours/.
    path("", include("xuanwen.teams.urls")),
    path("bookhouses/", include("xuanwen.bookhouses.urls")),
    path("households/", include("xuanwen.households.urls")),
    path("notices/", include("xuanwen.notices.urls")),
    path("reporting/", include("xuanwen.reporting.urls")),
    path("assessment/", include("xuanwen.assessment.urls")),
    # Documents generated from the records: the year-end and half-year summaries.
    path("documents/", include("xuanwen.documents.urls")),
    # Big imports run as background tasks: "我的导入", a job's page and its progress.
    path("imports/", include("xuanwen.core.urls")),
    path("api/v1/", api.urls),
    path("api/v1/<path:rest>", api_not_found),
]
