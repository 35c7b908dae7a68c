"""A year of records for the demo county, so that every page of `make run` has something to show.

古城街道 (the demo staff's township) and 文化社区 (the demo keeper's village) get what a real
station keeps: its facilities with rooms, eight weeks of opening logs (one week short of the
rule, so the compliance page has a failing week to name), the seed's recurring duties with
their completions (the latest blackboard left undone, so it is overdue on the staff's home
page), activities, a bookhouse register, a team and a training class, the village's culture
households (one still 待补日期) and this year's plan from the station template. Everything
goes through the services, as a user's entries would, so it is audited and obeys the same rules.
Loaded once: a second run finds the station and stops.
"""

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from xuanwen.accounts.models import User
from xuanwen.activities import services as activities
from xuanwen.activities.models import ActivityType
from xuanwen.bookhouses import services as bookhouses
from xuanwen.core import clock
from xuanwen.core.files import check_upload
from xuanwen.designations import services as designations
from xuanwen.designations.models import DesignationKind
from xuanwen.duties import services as duties
from xuanwen.duties.cycles import periods_between
from xuanwen.duties.models import Duty
from xuanwen.facilities import services as facilities
from xuanwen.facilities.models import Facility, FacilityKind
from xuanwen.households import services as households
from xuanwen.households.models import HouseholdKind
from xuanwen.opening import services as opening
from xuanwen.plans import services as plans
from xuanwen.reporting import selectors as reporting_selectors
from xuanwen.reporting import services as reporting
from xuanwen.teams import services as teams
from xuanwen.teams.models import TeamGenre
from xuanwen.units.models import Unit

from .assessment import demo_assessment

STATION_NAME = "古城街道综合文化站"


def _photo(text: str) -> Any:
    """A small generated photo, checked like an upload (a blackboard's picture)."""
    image = Image.new("RGB", (320, 200), (34, 85, 51))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return check_upload(SimpleUploadedFile(f"{text}.jpg", out.getvalue()))


def demo_records(today: date | None = None) -> list[str]:
    """Load the demo records (once); returns what was made, a line each, for the command."""
    today = today or clock.today()
    township = Unit.objects.get(code="331082001")
    village = Unit.objects.get(code="331082001001")
    if Facility.objects.filter(unit=township, name=STATION_NAME).exists():
        return []
    admin = User.objects.get(username="admin")
    staff = User.objects.get(username="staff")
    keeper = User.objects.get(username="keeper")
    supervisor = User.objects.get(username="supervisor")
    with transaction.atomic():
        lines = [
            _facilities_and_opening(today, township, village, staff, keeper),
            _activities(today, township, village, staff, keeper),
            _duties(today, township, staff),
            _bookhouse(today, village, keeper),
            _teams(today, township, staff),
            _households(today, village, keeper),
            _designations(today, township, village, staff),
            _plan(today, township, staff, supervisor, admin),
            # Last: approving a month locks its records.
            _reports(today, township, staff, supervisor),
            # After the records it scores.
            demo_assessment(today, township, supervisor),
        ]
    return lines


def _facilities_and_opening(
    today: date, township: Unit, village: Unit, staff: Any, keeper: Any
) -> str:
    kinds = {k.code: k for k in FacilityKind.objects.all()}

    def make(user: User, unit: Unit, kind: str, name: str, area: str, **kw: Any) -> Facility:
        data = facilities.FacilityData(
            unit=unit, kind=kinds[kind], name=name, area=Decimal(area), **kw
        )
        return facilities.facility_create(user=user, data=data)

    # Real-world dates, which the standing and new counts read: the station and the older
    # rooms stood for years; one courtyard opened this year, so the plan's 建好2—3个文化大院
    # is under way (1 of 2), not met by what already stood.
    this_year = max(date(today.year, 1, 1), today - timedelta(days=60))
    station = make(
        staff, township, "station", STATION_NAME, "800", opened_on=date(2012, 10, 1),
        opening_schedule="周一、三、五 8:30-12:00", keeper="王站长",
    )  # fmt: skip
    for name, area in (("多功能厅", "300"), ("排练厅", "120"), ("图书阅览室", "80")):
        facilities.room_add(user=staff, facility=station, name=name, area=Decimal(area))
    facilities.equipment_add(user=staff, facility=station, name="音响设备", count=2)
    facilities.equipment_add(user=staff, facility=station, name="投影仪", count=1)
    make(keeper, village, "room", "文化社区文化活动室", "120", opened_on=date(2016, 5, 1))
    make(keeper, village, "bookhouse", "文化社区农家书屋", "45", opened_on=date(2010, 6, 1))
    make(keeper, village, "courtyard", "东门文化大院", "200", opened_on=date(2019, 7, 1))
    make(keeper, village, "courtyard", "西街文化大院", "150", opened_on=this_year)
    bookhouse = Facility.objects.get(unit=village, name="文化社区农家书屋")

    # Eight full weeks before this one: the station opens Mon, Wed, Fri for 3.5 hours; three
    # weeks ago its Wednesday was 2.5 hours. The bookhouse opens Monday to Friday.
    monday = today - timedelta(days=today.weekday())
    logs = 0
    for week in range(8, 0, -1):
        start = monday - timedelta(weeks=week)
        for offset in (0, 2, 4):
            hours = Decimal("2.5") if week == 3 and offset == 2 else Decimal("3.5")
            opening.opening_record(
                user=staff,
                data=opening.OpeningData(
                    facility=station, date=start + timedelta(days=offset), hours=hours,
                    visitors=30 + 7 * offset + week,
                ),
            )  # fmt: skip
            logs += 1
        for offset in range(5):
            opening.opening_record(
                user=keeper,
                data=opening.OpeningData(
                    facility=bookhouse, date=start + timedelta(days=offset), hours=Decimal("4"),
                    visitors=8 + offset,
                ),
            )  # fmt: skip
            logs += 1
    return f"文化阵地 5 处，开放登记 {logs} 天"


def _activities(today: date, township: Unit, village: Unit, staff: Any, keeper: Any) -> str:
    types = {t.name: t for t in ActivityType.objects.all()}
    rows = [
        (staff, township, "文艺演出", "元旦春节歌舞巡回慰问演出", 300, 60, 800, "各村文化广场"),
        (staff, township, "培训", "广场舞骨干培训班（第一期）", 240, 45, 0, "综合文化站排练厅"),
        (staff, township, "讲座", "非遗保护知识讲座", 200, 80, 120, "综合文化站多功能厅"),
        (staff, township, "比赛", "“五四”青年歌手比赛", 170, 30, 500, "综合文化站多功能厅"),
        (staff, township, "培训", "合唱骨干培训班（第二期）", 120, 40, 0, "综合文化站排练厅"),
        (keeper, village, "阅读推广", "农家书屋亲子阅读日", 90, 25, 60, "文化社区农家书屋"),
        (keeper, village, "广场文化", "社区广场文化夜", 45, 50, 400, "文化社区广场"),
        (staff, township, "宣讲", "理论政策进村宣讲", 20, 15, 150, "文化社区文化活动室"),
    ]
    for user, unit, kind, title, days_ago, participants, audience, place in rows:
        day = today - timedelta(days=days_ago)
        activities.activity_create(
            user=user,
            data=activities.ActivityData(
                unit=unit, type=types[kind], title=title, start_date=day, end_date=day,
                place=place, participants=participants, audience=audience,
                organisers=unit.name,
            ),
        )  # fmt: skip
    return f"活动 {len(rows)} 项"


def _duties(today: date, township: Unit, staff: Any) -> str:
    duties.duty_defaults_add(user=staff, unit=township, start_date=today - timedelta(days=120))
    done = 0
    for duty in Duty.objects.filter(unit=township):
        periods = periods_between(
            duty.cycle, duty.due_day, duty.start_date, today, since=duty.start_date
        )
        ended = [p for p in periods if p.end < today]
        if duty.needs_photo:
            # The latest blackboard and window are left undone: the staff's home page shows
            # them as overdue, with the button that records them.
            ended = ended[:-1]
        for period in ended:
            first_days = min(period.start + timedelta(days=1), period.end)
            done_on = max(period.due if duty.due_day else first_days, duty.start_date)
            data = duties.CompletionData(duty=duty, done_on=done_on, note="按时完成。")
            if duty.needs_inspections:
                data.businesses = [
                    duties.BusinessData(name="古城网吧", kind="internet_cafe", findings="证照齐全"),
                    duties.BusinessData(
                        name="新华书店古城店", kind="bookshop", findings="发现盗版图书 3 册",
                        rectification_required=True,
                    ),
                ]  # fmt: skip
            uploads = [_photo(duty.name)] if duty.needs_photo or duty.needs_file else []
            duties.completion_create(user=staff, data=data, uploads=uploads)
            done += 1
    return f"常规工作 {Duty.objects.filter(unit=township).count()} 项，完成记录 {done} 条"


def _bookhouse(today: date, village: Unit, keeper: Any) -> str:
    bookhouse = Facility.objects.get(unit=village, name="文化社区农家书屋")
    year_ago = today - timedelta(days=360)
    for kind, count, source, when in (
        ("books", 1350, "opening", year_ago),
        ("av", 80, "opening", year_ago),
        ("shelves", 8, "opening", year_ago),
        ("periodicals", 12, "opening", year_ago),
        ("books", 200, "distributed", today - timedelta(days=60)),
        ("av", 30, "distributed", today - timedelta(days=60)),
        ("books", 40, "donated", today - timedelta(days=30)),
    ):
        bookhouses.stock_create(
            user=keeper,
            data=bookhouses.StockData(
                facility=bookhouse, date=when, kind=kind, count=count, source=source
            ),
        )
    for days_ago, reader, title, returned in (
        (50, "李大爷", "果树栽培技术", True),
        (40, "王大妈", "家庭养生", True),
        (35, "张小明", "十万个为什么", False),
        (10, "陈阿姨", "平凡的世界", False),
    ):
        lent = today - timedelta(days=days_ago)
        bookhouses.loan_create(
            user=keeper,
            data=bookhouses.LoanData(
                facility=bookhouse, lent_on=lent, reader_name=reader, title=title,
                returned_on=lent + timedelta(days=14) if returned else None,
            ),
        )  # fmt: skip
    bookhouses.demand_create(
        user=keeper,
        data=bookhouses.DemandData(
            facility=bookhouse, date=today - timedelta(days=20), reader_name="李大爷",
            wanted="养蜂技术",
        ),
    )  # fmt: skip
    return "农家书屋藏书 1590 册，借阅 4 次"


def _teams(today: date, township: Unit, staff: Any) -> str:
    genre = TeamGenre.objects.get(name="秧歌队")
    names = ["王秀英", "李桂兰", "张凤霞", "刘淑珍", "陈玉梅", "杨春花"]
    people = [
        teams.person_create(
            user=staff,
            data=teams.PersonData(unit=township, name=name, gender="female", specialty="秧歌"),
        )
        for name in names
    ]
    team = teams.team_create(
        user=staff,
        data=teams.TeamData(
            unit=township,
            name="古城秧歌队",
            genre=genre,
            leader=people[0],
            founded_on=date(2015, 4, 1),
        ),
        members=[teams.MemberData(person=p) for p in people],
    )
    start = today - timedelta(days=30)
    training = teams.training_create(
        user=staff,
        data=teams.TrainingData(
            unit=township, title="秧歌骨干培训班", trainer="县文化馆 赵老师", start_date=start,
            end_date=start + timedelta(days=7), place="综合文化站排练厅",
        ),
        sessions=[
            teams.SessionData(date=start + timedelta(days=d), hours=Decimal("2"), topic=topic)
            for d, topic in ((0, "基本步伐"), (7, "队形编排"))
        ],
        trainees=people,
    )  # fmt: skip
    # The roll call names trainees, not people (their ids agree only in a fresh database).
    trainee_of = dict(training.trainees.values_list("person_id", "pk"))
    present = [trainee_of[p.pk] for p in people[:5]]
    for session in training.sessions.all():
        teams.attendance_set(user=staff, session=session, present=present)
    return f"队伍 1 支（{team.name}，{len(people)} 人），培训班 1 期"


def _households(today: date, village: Unit, keeper: Any) -> str:
    kinds = {k.code: k for k in HouseholdKind.objects.all()}
    rows = [
        ("张秀兰", "major", "剪纸", 3, "county", date(today.year - 1, 9, 1)),
        ("李建国", "major", "锣鼓", 5, "township", today - timedelta(days=40)),
        ("王桂芳", "centre", "书法", 2, "township", today - timedelta(days=90)),
        # Its designation date not yet found: listed as 待补日期 and counted nowhere.
        ("陈阿婆", "household", "越剧", 1, "", None),
    ]
    for head, kind, speciality, members, level, designated_on in rows:
        households.household_create(
            user=keeper,
            data=households.HouseholdData(
                unit=village, kind=kinds[kind], head=head, speciality=speciality,
                members=members, level=level, designated_on=designated_on,
            ),
        )  # fmt: skip
    return f"文化户 {len(rows)} 户（{village.name}）"


def _designations(today: date, township: Unit, village: Unit, staff: Any) -> str:
    """文化社区 named 文化示范村 by the county in 2019 and by the city in 2024; a neighbour
    named this year (so the plan's 建好一个文化示范村 is met) and one whose date is still to be
    filled in (待补日期); the township a 文化强镇."""
    kinds = {k.code: k for k in DesignationKind.objects.all()}
    neighbour = Unit.objects.filter(parent=township).exclude(code=village.code).order_by("code")
    other = neighbour.first() or village
    this_year = max(date(today.year, 1, 2), today - timedelta(days=30))
    county, city = "临海市文化和旅游局", "台州市文化广电旅游局"
    rows = [
        (village, "model_village", "county", date(2019, 6, 1), "临文〔2019〕8号", county),
        (village, "model_village", "city", date(2024, 5, 20), "台文〔2024〕15号", city),
        (other, "model_village", "county", this_year, f"临文〔{today.year}〕12号", county),
        (other, "feature_village", "county", None, "", ""),
        (township, "strong_township", "county", date(2021, 11, 1), "临文〔2021〕30号", county),
    ]  # fmt: skip
    for unit, code, level, on, number, by in rows:
        designations.designation_create(
            user=staff,
            data=designations.DesignationData(
                unit=unit, kind=kinds[code], level=level, designated_on=on, document_no=number,
                awarded_by=by,
            ),
        )  # fmt: skip
    return f"命名 {len(rows)} 项（文化示范村、文化特色村、文化强镇）"


def _plan(today: date, township: Unit, staff: Any, supervisor: Any, admin: Any) -> str:
    plan = plans.plan_create(
        user=staff,
        data=plans.PlanData(unit=township, kind="year", year=today.year),
        template="township_station_year",
    )
    plans.plan_submit(user=staff, plan=plan)
    plans.plan_approve(user=supervisor, plan=plan)
    return f"{today.year} 年工作计划 1 份（已批准）"


def _reports(today: date, township: Unit, staff: Any, supervisor: Any) -> str:
    """The county's monthly report of its townships: 古城街道 has submitted the last three
    months that ended, the two older ones approved (so their records are locked); the other
    townships have not, so the completeness page has some missing to name."""
    report_set = reporting.report_set_create(
        user=supervisor,
        data=reporting.ReportSetData(
            owner=Unit.objects.get(code="331082"),
            name="乡镇综合文化站月报",
            levels=[4],
            deadline_days=10,
            indicators=[
                "activities.count",
                "activities.participants",
                "activities.audience",
                "opening.days",
                "opening.visitors",
                "duties.completions",
            ],
        ),
    )
    reporting.rule_create(
        user=supervisor,
        report_set=report_set,
        data=reporting.RuleData(
            kind="le_indicator",
            left="activities.participants",
            right="activities.audience",
            severity="warning",
        ),
    )
    last = reporting_selectors.last_period(report_set, today)
    months = [p for y in (today.year - 1, today.year) for p in report_set.periods(y)]
    recent = months[: months.index(last) + 1][-3:]
    for i, period in enumerate(recent):
        submission = reporting.submission_submit(
            user=staff, report_set=report_set, unit=township, period=period
        )
        if i < len(recent) - 1:
            reporting.submission_approve(user=supervisor, submission=submission)
    return f"月报 1 套，{township.name}已上报 {len(recent)} 个月（前 {len(recent) - 1} 个月已批准）"
