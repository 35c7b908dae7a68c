"""The calendar's routes for the scope walker (see xuanwen/tests/walk.py).

The calendar is not a record of a unit: any year it can hold is "inside" for everyone, and a
year it cannot (9999) is the only "outside" one, a 404 for every persona.
"""

from xuanwen.accounts.models import MANAGE_ROLES, User
from xuanwen.tests.walk import Values


def years(user: User) -> Values:
    return Values(inside="2027", outside=["9999"])


PARAMS = {
    "workdays:year": years,  # /workdays/<year>/, /workdays/<year>/edit/, /api/v1/workdays/{year}/
    "days:start": None,  # /api/v1/workdays/days/?start=&end=
    "days:end": None,
}

FORM_PAGES = {"/workdays/{year}/edit/": MANAGE_ROLES}
