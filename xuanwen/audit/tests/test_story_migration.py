"""The upgrade to the story log (issue #13 build 6): existing users get a 姓名 (the name the
command kept as first name, else their login name), and plans' status changes logged as 修改
get the verb that says what happened."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

from xuanwen.accounts.models import User
from xuanwen.audit.models import Action, AuditEntry

BEFORE = [("accounts", "0004_token_expiry_required"), ("audit", "0002_sign_in_actions")]


class StoryMigrationTests(TransactionTestCase):
    serialized_rollback = True

    def test_old_users_get_names_and_old_plan_entries_their_verbs(self) -> None:
        executor = MigrationExecutor(connection)
        after = executor.loader.graph.leaf_nodes()
        executor.migrate(BEFORE)
        try:
            old = executor.loader.project_state(BEFORE).apps
            unit = old.get_model("units", "Unit").objects.create(code="33", name="浙江省")
            users = old.get_model("accounts", "User").objects
            users.create(username="zhang", unit=unit, role="staff", first_name="张三")
            users.create(username="li", unit=unit, role="staff")
            entries = old.get_model("audit", "AuditEntry").objects

            def entry(action: str, model: str, before: str | None, after: str | None) -> None:
                def fields(status: str | None) -> dict[str, object] | None:
                    return {"fields": {"status": status, "title": "计划"}} if status else None

                entries.create(
                    action=action,
                    model=model,
                    object_pk="1",
                    object_repr="计划",
                    unit_code="33",
                    before=fields(before),
                    after=fields(after),
                )

            entry("update", "plans.workplan", "draft", "submitted")
            entry("update", "plans.workplan", "submitted", "draft")
            entry("update", "plans.workplan", "submitted", "approved")
            entry("update", "plans.workplan", "draft", "draft")  # a change of its text
            entry("create", "plans.workplan", None, "draft")
            entry("update", "duties.duty", "draft", "submitted")  # not a plan
        finally:
            executor = MigrationExecutor(connection)
            executor.loader.build_graph()
            executor.migrate(after)
        assert dict(User.objects.values_list("username", "name")) == {"zhang": "张三", "li": "li"}
        assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
            Action.SUBMIT,
            Action.RETURN,
            Action.APPROVE,
            Action.UPDATE,
            Action.CREATE,
            Action.UPDATE,
        ]
