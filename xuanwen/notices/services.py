"""Storing notices when a plan changes status, and marking them read.

Who is told:

- submitted (提交): everyone who may approve the plan (plans.services.can_approve_plan), found
  among the active users bound to the plan's unit or a unit above it, in one query; a
  superuser bound to no unit runs the site and is not in the approval chain, so is not told;
- returned (退回) or approved (批准): the plan's submitter and those who may write the plan's
  unit's plans (its users of a writing role), in one query.

Nobody is told of what they did themselves. A plan withdrawn by its own unit (plan_return by
a writer, not an approver) tells nobody: the approvers' "submitted" notice links to the plan,
which shows it is a draft again.

Marking read is not a change of any record (the audit log records changes), so it is not
audited; it touches only the reader's own notices.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from xuanwen.accounts.models import APPROVE_ROLES, WRITE_ROLES, User
from xuanwen.audit.models import Action
from xuanwen.core import clock, tree
from xuanwen.plans.models import WorkPlan
from xuanwen.plans.services import can_approve_plan

from .models import Notice, NoticeKind

KINDS = {
    Action.SUBMIT: NoticeKind.PLAN_SUBMITTED,
    Action.RETURN: NoticeKind.PLAN_RETURNED,
    Action.APPROVE: NoticeKind.PLAN_APPROVED,
}


def approvers_of(plan: WorkPlan) -> list[User]:
    """Who may approve `plan`: one query over the users of its unit and the units above."""
    codes = [*tree.ancestor_codes(plan.unit_id), plan.unit_id]
    candidates = User.objects.filter(
        Q(role__in=APPROVE_ROLES) | Q(is_superuser=True), is_active=True, unit_id__in=codes
    ).order_by("pk")
    # can_approve_plan reads the user's unit code and role: no query per user.
    return [u for u in candidates if can_approve_plan(u, plan)]


def writers_of(plan: WorkPlan) -> list[User]:
    """The plan's submitter and its unit's users of a writing role: one query."""
    mine = Q(unit_id=plan.unit_id, role__in=WRITE_ROLES)
    if plan.submitted_by_id:
        mine |= Q(pk=plan.submitted_by_id)
    return list(User.objects.filter(mine, is_active=True).order_by("pk"))


def plan_changed(sender: Any, *, plan: WorkPlan, actor: User, action: str, **kwargs: Any) -> None:
    """The receiver of plans.signals.plan_status_changed: store the notices of the change."""
    kind = KINDS.get(Action(action))
    if kind is None:
        return
    if kind == NoticeKind.PLAN_SUBMITTED:
        recipients = approvers_of(plan)
    elif kind == NoticeKind.PLAN_RETURNED and not can_approve_plan(actor, plan):
        return  # withdrawn by its own unit, not sent back
    else:
        recipients = writers_of(plan)
    notify(recipients, kind, plan, actor)


def notify(recipients: Iterable[User], kind: str, plan: WorkPlan, actor: User) -> list[Notice]:
    """One notice of `kind` about `plan` for each recipient but the actor; one INSERT."""
    now = clock.now()
    note = plan.return_note if kind == NoticeKind.PLAN_RETURNED else ""
    notices = [
        Notice(
            recipient=user,
            kind=kind,
            plan=plan,
            title=plan.title[:200],
            actor_name=actor.display_name[:150],
            note=note[:500],
            created_at=now,
        )
        for user in dict.fromkeys(recipients)
        if user.pk != actor.pk
    ]
    return Notice.objects.bulk_create(notices)


def notices_mark_read(*, user: User, ids: Iterable[int]) -> int:
    """Mark the user's own notices among `ids` read (those still unread); how many. One UPDATE,
    none when there is nothing to mark."""
    ids = list(ids)
    if not ids:
        return 0
    mine = Notice.objects.filter(recipient=user, pk__in=ids, read_at__isnull=True)
    return mine.update(read_at=clock.now())
