"""Reporting's part of the scope walk (see xuanwen/tests/walk.py).

A report set is seen from its owner's subtree and by the units that owe it (below the owner),
so from the owner's whole line; a submission is a record of its unit."""

from datetime import date

from xuanwen.accounts.models import APPROVE_ROLES, User
from xuanwen.core import clock, tree
from xuanwen.reporting.models import ReportSet, Submission, SubmissionStatus
from xuanwen.tests.walk import on_line, records, unit_codes
from xuanwen.units.models import Unit


def reporting_fixtures(root: User, admin: User) -> None:
    """A report set owned by every unit with children, owed by its children, each of which
    has submitted January 2024 (submitted, not approved: nothing the walk writes is locked)."""
    children: dict[str, list[str]] = {}
    for code, parent in Unit.objects.order_by("code").values_list("code", "parent_id"):
        if parent:
            children.setdefault(parent, []).append(code)
    for owner, codes in children.items():
        report_set = ReportSet.objects.create(
            owner_id=owner,
            name=f"{owner}月报",
            levels=[tree.level_of(owner) + 1],
            indicators=["activities.count"],
        )
        Submission.objects.bulk_create(
            Submission(
                report_set=report_set,
                unit_id=code,
                period_key="2024-01",
                period_start=date(2024, 1, 1),
                period_end=date(2024, 1, 31),
                status=SubmissionStatus.SUBMITTED,
                submitted_at=clock.now(),
                on_time=True,
            )
            for code in codes
        )


# Inside: a set owned in the user's subtree (or owed by their unit); outside: one owned off
# the user's line.
report_set_ids = on_line(ReportSet, "owner_id")

submission_ids = records(Submission, "unit_id")

FIXTURES = [reporting_fixtures]
PARAMS = {
    "sets:pk": report_set_ids,  # pages
    "sets:set_id": report_set_ids,  # API
    "submissions:pk": submission_ids,
    "submissions:submission_id": submission_ids,
    "submissions:report_set": report_set_ids,  # the API list's filter
    "sets:owner": unit_codes,
    "sets:name": None,
    "sets:levels": None,
    "sets:frequency": None,
    "sets:deadline_days": None,
    "sets:lock_days": None,
    "sets:indicators": None,
    "sets:active": None,
    "reason": None,
}
FORM_PAGES = {
    "/reporting/sets/new/": APPROVE_ROLES,
    "/reporting/sets/{pk}/edit/": APPROVE_ROLES,
}
