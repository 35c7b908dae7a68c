"""Reads of assessment, scoped to the user (other ids: 404).

A scheme is seen from its owner's subtree and by the units it scores (the owner's line down
to the user); its results are seen unit by unit: a township sees its own line, the county all
of its townships'. A run (version) is seen with its scheme, its results filtered to the user's
subtree.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from xuanwen.accounts.models import User
from xuanwen.core import tree

from .models import Adjustment, Run, Scheme, UnitResult


def schemes_for(user: User) -> QuerySet[Scheme]:
    root = user.scope.root
    if root is None:
        return Scheme.objects.none()
    line = Q(owner_id__in=tree.ancestor_codes(root)) if root else Q()
    return Scheme.objects.filter(tree.subtree_q(root, "owner_id") | line).select_related("owner")


def get_scheme_for_user(user: User, pk: int) -> Scheme:
    return get_object_or_404(schemes_for(user), pk=pk)


def runs_for(user: User) -> QuerySet[Run]:
    return Run.objects.filter(scheme__in=schemes_for(user)).select_related(
        "scheme", "scheme__owner", "published_by"
    )


def get_run_for_user(user: User, pk: int) -> Run:
    return get_object_or_404(runs_for(user), pk=pk)


def results_for(user: User, run: Run) -> QuerySet[UnitResult]:
    """The run's results of the units in the user's subtree, best first."""
    root = user.scope.root
    if root is None:
        return UnitResult.objects.none()
    return (
        UnitResult.objects.filter(run=run)
        .filter(tree.subtree_q(root, "unit_id"))
        .select_related("unit")
        .order_by("rank", "unit_id")
    )


def get_result_for_user(user: User, pk: int) -> UnitResult:
    """A unit's result: the unit in the user's subtree (its scheme is then on their line)."""
    root = user.scope.root
    if root is None:
        raise Http404
    qs = UnitResult.objects.filter(tree.subtree_q(root, "unit_id")).select_related(
        "unit", "run", "run__scheme", "run__scheme__owner"
    )
    return get_object_or_404(qs, pk=pk)


def adjustments_for(user: User) -> QuerySet[Adjustment]:
    root = user.scope.root
    if root is None:
        return Adjustment.objects.none()
    return Adjustment.objects.filter(
        tree.subtree_q(root, "unit_id"), scheme__in=schemes_for(user)
    ).select_related("unit", "scheme")


def get_adjustment_for_user(user: User, pk: int) -> Adjustment:
    return get_object_or_404(adjustments_for(user), pk=pk)


def latest_published(user: User) -> Run | None:
    """The latest published version of the schemes the user sees (for the home card)."""
    return runs_for(user).filter(published_at__isnull=False).order_by("-published_at").first()
