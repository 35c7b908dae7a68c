"""`xuanwen units import`: a county from the packaged division data, idempotent."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.units.models import Unit


def run(*args: str) -> str:
    out = StringIO()
    call_command("units", *args, stdout=out)
    return out.getvalue()


class UnitsImportCommandTests(TestCase):
    """No shared tree here: the import starts from an empty unit table."""

    def test_it_imports_a_county_once_then_changes_nothing_then_renames(self) -> None:
        assert not Unit.objects.exists()
        first = run("import", "331082")
        assert "县 1 个：新增 1，更名 0，不变 0" in first
        assert "乡镇街道 19 个：新增 19，更名 0，不变 0" in first
        assert "村社区 678 个：新增 678，更名 0，不变 0" in first
        assert "共 700 处变更" in first  # with the province and the city above it
        assert Unit.objects.count() == 700
        county = Unit.objects.get(code="331082")
        assert (county.name, county.parent_id, county.initials) == ("临海市", "3310", "lhs")
        assert Unit.objects.filter(code__startswith="331082", parent__isnull=True).count() == 0
        assert AuditEntry.objects.filter(action=Action.IMPORT, unit_code="331082").count() == 1

        second = run("import", "331082")
        assert "县 1 个：新增 0，更名 0，不变 1" in second
        assert "村社区 678 个：新增 0，更名 0，不变 678" in second
        assert "共 0 处变更" in second
        assert Unit.objects.count() == 700
        assert AuditEntry.objects.count() == 1

        # A unit renamed locally is renamed back to the data's name, and that is audited.
        # (One test for the three imports: each reads the whole packaged data.)
        Unit.objects.filter(code="331082001").update(name="旧名街道")
        third = run("import", "临海市")
        assert "乡镇街道 19 个：新增 0，更名 1，不变 18" in third
        assert "共 1 处变更" in third
        assert Unit.objects.get(code="331082001").name == "古城街道"
        entry = AuditEntry.objects.get(action=Action.UPDATE, object_pk="331082001")
        assert entry.before["fields"]["name"] == "旧名街道"
        assert entry.after["fields"]["name"] == "古城街道"

    def test_it_lists_the_candidates_of_an_ambiguous_name(self) -> None:
        with pytest.raises(CommandError) as exc:
            run("import", "新华街道")
        message = str(exc.value)
        assert "110112002" in message
        assert message.count("新华街道") >= 3
        assert len([line for line in message.splitlines() if line[:9].isdigit()]) >= 3
        assert not Unit.objects.exists()

    def test_it_refuses_an_unknown_division_and_a_missing_target(self) -> None:
        with pytest.raises(CommandError, match="没有"):
            run("import", "不存在县")
        with pytest.raises(CommandError):
            run("import")
        assert not Unit.objects.exists()
