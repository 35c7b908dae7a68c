"""What plans tell the apps above them, without importing them (docs/architecture.md).

`plan_status_changed` is sent inside the atomic block of a status change (提交, 退回, 批准),
after the plan is saved and audited, so whatever a receiver stores commits or rolls back with
the change itself. Keyword arguments: `plan` (the saved WorkPlan), `actor` (the User who
acted) and `action` (audit.models.Action.SUBMIT, RETURN or APPROVE). The notices app turns
it into notices for the people concerned.
"""

from django.dispatch import Signal

plan_status_changed = Signal()
