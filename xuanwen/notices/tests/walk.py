"""The notices' part of the scope walk (see xuanwen/tests/walk.py): a notice is its
recipient's own, whatever the units, like an import job."""

from xuanwen.accounts.models import User
from xuanwen.notices.models import Notice, NoticeKind
from xuanwen.plans.models import WorkPlan
from xuanwen.tests.walk import GHOST_ID, Values


def notice_fixtures(root: User, admin: User) -> None:
    """An unread notice for every user bound to a unit, about a plan outside most of their
    reach. Not for a user bound to none: opening the list marks it read, and that user's
    walk checks that no page changes anything."""
    plan = WorkPlan.objects.order_by("unit_id", "pk").first()
    assert plan is not None, "the plans' walk fixtures come first"
    Notice.objects.bulk_create(
        Notice(
            recipient=user,
            kind=NoticeKind.PLAN_SUBMITTED,
            plan=plan,
            title=plan.title,
            actor_name=admin.display_name,
            created_at=plan.created_at,
        )
        for user in User.objects.filter(unit__isnull=False).order_by("pk")
    )


def notice_ids(user: User) -> Values:
    """The user's own notice inside; another user's outside."""
    mine = Notice.objects.filter(recipient=user).order_by("pk").values_list("pk", flat=True)
    others = Notice.objects.exclude(recipient=user).order_by("pk").values_list("pk", flat=True)
    return Values(inside=str(mine[0]) if mine else None, outside=[str(others[0]), GHOST_ID])


FIXTURES = [notice_fixtures]
PARAMS = {"notices:pk": notice_ids}
