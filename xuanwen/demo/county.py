"""The demo county: 临海市 from the real division data, and one user per role."""

from dataclasses import dataclass

from django.db import transaction

from xuanwen.accounts.models import Role, User
from xuanwen.units.models import Unit
from xuanwen.units.services import ImportReport, units_import, user_create

DEMO_COUNTY = "331082"  # 临海市, 浙江省台州市
DEMO_PASSWORD = "xuanwen-demo-2026"  # noqa: S105 (printed on purpose; demo only)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    unit_code: str
    name: str  # 姓名: what the pages and the audit log show for this person


def demo_logins() -> list[DemoLogin]:
    township_a = f"{DEMO_COUNTY}001"  # 古城街道
    return [
        DemoLogin("admin", Role.ADMIN, DEMO_COUNTY, "陈建国"),
        DemoLogin("supervisor", Role.SUPERVISOR, DEMO_COUNTY, "王秀英"),
        DemoLogin("staff", Role.STAFF, township_a, "李明"),
        DemoLogin("keeper", Role.VILLAGE_ADMIN, f"{township_a}001", "张桂兰"),  # 文化社区
        DemoLogin("projectionist", Role.PROJECTIONIST, township_a, "刘志强"),
        DemoLogin("viewer", Role.VIEWER, DEMO_COUNTY, "杨丽"),
    ]


def demo_load() -> tuple[ImportReport, list[tuple[DemoLogin, Unit]]]:
    """Import the demo county and (re)create its users; safe to run again."""
    report = units_import(target=DEMO_COUNTY)
    out = []
    with transaction.atomic():
        for login in demo_logins():
            unit = Unit.objects.get(code=login.unit_code)
            user = User.objects.filter(username=login.username).first()
            if user is None:
                user = user_create(
                    actor=None,
                    username=login.username,
                    unit=unit,
                    role=login.role,
                    name=login.name,
                    password=DEMO_PASSWORD,
                    check_password=False,
                )
            else:
                # Reset what a demo visitor may have changed, so the printed logins work.
                user.unit, user.role, user.is_active = unit, login.role, True
                user.name = login.name
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["unit", "role", "is_active", "name", "password"])
            out.append((login, unit))
    return report, out
