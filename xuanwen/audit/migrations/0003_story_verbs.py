from typing import Any

from django.db import migrations, models

# A plan's status change was logged as 修改; the status it went to says what happened.
VERB_BY_STATUS = {"submitted": "submit", "approved": "approve", "draft": "return"}


def name_plan_verbs(apps: Any, schema_editor: Any) -> None:
    AuditEntry = apps.get_model("audit", "AuditEntry")
    entries = AuditEntry.objects.filter(model="plans.workplan", action="update")
    for entry in entries.iterator():
        before = ((entry.before or {}).get("fields") or {}).get("status")
        after = ((entry.after or {}).get("fields") or {}).get("status")
        if before and after and before != after and after in VERB_BY_STATUS:
            entry.action = VERB_BY_STATUS[after]
            entry.save(update_fields=["action"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_sign_in_actions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "新增"),
                    ("update", "修改"),
                    ("delete", "删除"),
                    ("restore", "恢复"),
                    ("import", "导入"),
                    ("submit", "提交"),
                    ("return", "退回"),
                    ("approve", "批准"),
                    ("login", "登录"),
                    ("login_fail", "登录失败"),
                    ("logout", "退出登录"),
                ],
                max_length=10,
                verbose_name="操作",
            ),
        ),
        migrations.RunPython(name_plan_verbs, migrations.RunPython.noop),
    ]
