"""The 我的令牌 page's routes for the scope walker (see xuanwen/tests/walk.py).

A token is its user's own, whatever the units: a persona's own token is "inside", anyone
else's (a superuser's and a colleague's in the same unit included) is "outside", a 404.
"""

from xuanwen.accounts.models import ApiToken, User
from xuanwen.accounts.services import token_create
from xuanwen.tests.walk import GHOST_ID, Values


def token_fixtures(root: User, admin: User) -> None:
    """A named token of every user."""
    for user in User.objects.order_by("pk"):
        token_create(user=user, name="巡检令牌")


def token_ids(user: User) -> Values:
    mine = ApiToken.objects.filter(user=user).order_by("pk").values_list("pk", flat=True)
    others = ApiToken.objects.exclude(user=user).order_by("pk").values_list("pk", flat=True)
    return Values(inside=str(mine[0]) if mine else None, outside=[str(others[0]), GHOST_ID])


FIXTURES = [token_fixtures]
PARAMS = {"tokens:pk": token_ids}  # /tokens/<pk>/revoke/
