from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:  # models cannot be imported before the app registry is ready
    from xuanwen.accounts.models import User


class ActivitiesConfig(AppConfig):
    name = "xuanwen.activities"
    verbose_name = "活动"

    def ready(self) -> None:
        from xuanwen.audit import services as audit_services
        from xuanwen.core import locks

        # The activities' own indicators (counts, coverage, awards, one per type).
        from . import home, indicators  # noqa: F401 (this year's figures on the home page)
        from .models import Activity, ActivityVillage, Attachment, Award, MediaCoverage

        # An activity restored on the audit page is live again: count it, in the restore's
        # transaction; a restored report may make its activity one with coverage.
        audit_services.register_restore_hook(Activity, _activity_restored)
        audit_services.register_restore_hook(MediaCoverage, _coverage_restored)
        # An activity belongs to every period its days touch: an approved report of one locks it.
        locks.register_dated(Activity, start="start_date", end="end_date", unit="unit")
        # Its parts are locked with it.
        for part in (Attachment, MediaCoverage, Award, ActivityVillage):
            locks.register_dated(part, owner="activity")


def _activity_restored(*, user: "User", obj: Any) -> None:
    from .counts import added

    added(obj)


def _coverage_restored(*, user: "User", obj: Any) -> None:
    from .counts import coverage_restored

    coverage_restored(obj)
