"""The opening app's routes for the scope walker (see xuanwen/tests/walk.py)."""

from xuanwen.accounts.models import WRITE_ROLES
from xuanwen.facilities.models import Facility
from xuanwen.opening.models import OpeningLog
from xuanwen.tests.walk import records, register_forms

from .helpers import walk_fixtures

FIXTURES = [walk_fixtures]

log_ids = records(OpeningLog, "facility__unit_id")
facility_ids = records(Facility, "unit_id")

PARAMS = {
    "opening:pk": log_ids,  # /opening/<pk>/edit/, /opening/<pk>/delete/
    "logs:log_id": log_ids,  # /api/v1/opening/logs/{log_id}/
    "logs:facility": facility_ids,  # the API's list filter and the body of a log
    "logs:start": None,
    "logs:end": None,
    "compliance:facility_id": facility_ids,  # /opening/compliance/<facility_id>/
    "facility:facility_id": facility_ids,  # /api/v1/opening/compliance/facility/{id}/
}

FORM_PAGES = {**register_forms("opening"), "/opening/week/": WRITE_ROLES}
