"""Demo data of team/: the office, ~30 staff, the 7-person team from the seed article and a month of duty.

Called by `manage.py seed_demo` (core), before the other apps' demo data, which builds on these
people. Idempotent: running it again changes nothing that already exists (and tops up duty shifts
for the coming days), so `make run` can call it on every start.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from team import services
from team.models import Decision, Department, DutyShift, Membership, Office, OperatingRegulation, Position, Team, User

DEMO_PASSWORD = "demo-TuQuan-2026"

DEPARTMENTS = [
    ("Lãnh đạo Văn phòng", "LĐVP"),
    ("Phòng Nội chính - Pháp chế", "NCPC"),
    ("Phòng Tổng hợp", "TH"),
    ("Phòng Kinh tế", "KT"),
    ("Phòng Khoa giáo - Văn xã", "KGVX"),
    ("Phòng Hành chính - Tổ chức", "HCTC"),
    ("Phòng Quản trị - Tài vụ", "QTTV"),
    ("Ban Tiếp công dân", "BTCD"),
]

POSITIONS = [
    ("Chánh Văn phòng", Position.Kind.CHIEF, 1),
    ("Phó Chánh Văn phòng", Position.Kind.DEPUTY_CHIEF, 2),
    ("Trưởng phòng", Position.Kind.OTHER, 3),
    ("Phó Trưởng phòng", Position.Kind.OTHER, 4),
    ("Chuyên viên", Position.Kind.OTHER, 5),
    ("Nhân viên", Position.Kind.OTHER, 6),
]

# username, full name, department abbreviation, position, phone, team role (or None), is_admin
STAFF = [
    ("admin", "Quản trị hệ thống", "HCTC", "Chuyên viên", "0912000000", None, True),
    ("hung.nq", "Nguyễn Quốc Hùng", "LĐVP", "Chánh Văn phòng", "0912000001", None, False),
    ("minh.hv", "Hoàng Văn Minh", "LĐVP", "Phó Chánh Văn phòng", "0912000002", Membership.Role.LEADER, False),
    ("thu.dt", "Đặng Thị Thu", "LĐVP", "Phó Chánh Văn phòng", "0912000003", None, False),
    ("lan.tt", "Trần Thị Lan", "NCPC", "Chuyên viên", "0912000004", Membership.Role.DEPUTY, False),
    ("tuan.la", "Lê Anh Tuấn", "TH", "Chuyên viên", "0912000005", Membership.Role.MEMBER, False),
    ("nam.pv", "Phạm Văn Nam", "HCTC", "Chuyên viên", "0912000006", Membership.Role.MEMBER, False),
    ("hai.nd", "Nguyễn Đức Hải", "QTTV", "Nhân viên", "0912000007", Membership.Role.MEMBER, False),
    ("phuong.vt", "Vũ Thị Phương", "BTCD", "Chuyên viên", "0912000008", Membership.Role.MEMBER, False),
    ("khoa.bd", "Bùi Đăng Khoa", "KT", "Chuyên viên", "0912000009", Membership.Role.MEMBER, False),
    ("hoa.pt", "Phạm Thị Hoa", "KGVX", "Chuyên viên", "0912000010", None, False),
    ("long.nh", "Ngô Hoàng Long", "NCPC", "Trưởng phòng", "0912000011", None, False),
    ("mai.lt", "Lý Thị Mai", "NCPC", "Chuyên viên", "0912000012", None, False),
    ("son.dv", "Đỗ Văn Sơn", "TH", "Trưởng phòng", "0912000013", None, False),
    ("ha.nt", "Nguyễn Thu Hà", "TH", "Chuyên viên", "0912000014", None, False),
    ("quang.tm", "Trịnh Minh Quang", "KT", "Trưởng phòng", "0912000015", None, False),
    ("linh.ph", "Phan Hải Linh", "KT", "Chuyên viên", "0912000016", None, False),
    ("dung.ct", "Cao Tiến Dũng", "KGVX", "Trưởng phòng", "0912000017", None, False),
    ("yen.hb", "Hà Bảo Yến", "KGVX", "Chuyên viên", "0912000018", None, False),
    ("thang.lq", "Lương Quốc Thắng", "HCTC", "Trưởng phòng", "0912000019", None, False),
    ("ngoc.dm", "Dương Minh Ngọc", "HCTC", "Chuyên viên", "0912000020", None, False),
    ("binh.tv", "Tạ Văn Bình", "QTTV", "Trưởng phòng", "0912000021", None, False),
    ("trang.nk", "Nông Kiều Trang", "QTTV", "Chuyên viên", "0912000022", None, False),
    ("cuong.mv", "Mai Văn Cường", "QTTV", "Nhân viên", "0912000023", None, False),
    ("huong.lt", "Lâm Thanh Hương", "BTCD", "Trưởng phòng", "0912000024", None, False),
    ("duc.hm", "Hồ Minh Đức", "BTCD", "Chuyên viên", "0912000025", None, False),
    ("an.vt", "Võ Thành An", "NCPC", "Phó Trưởng phòng", "0912000026", None, False),
    ("nhung.dt", "Đinh Thị Nhung", "TH", "Phó Trưởng phòng", "0912000027", None, False),
    ("vinh.kq", "Kiều Quang Vinh", "KT", "Nhân viên", "0912000028", None, False),
    ("thao.lp", "Lưu Phương Thảo", "HCTC", "Nhân viên", "0912000029", None, False),
    ("kien.tt", "Tống Trung Kiên", "QTTV", "Nhân viên", "0912000030", None, False),
]

TEAM_START = date(2023, 7, 15)
STAFF_SINCE = datetime(2023, 7, 1, 8, 0, tzinfo=timezone.get_default_timezone())
DAY_SHIFT = (time(7, 30), time(17, 0))
NIGHT_SHIFT = (time(17, 0), time(7, 30))

REGULATION_TEXT = """Điều 1. Phạm vi, đối tượng
Quy chế này quy định nguyên tắc, nhiệm vụ và chế độ làm việc của Tổ bảo vệ an ninh, trật tự cơ quan Văn phòng UBND tỉnh.

Điều 2. Nhiệm vụ của Tổ
1. Tuyên truyền, phổ biến pháp luật và nội quy cơ quan về an ninh, trật tự đến toàn thể cán bộ, công chức, viên chức, người lao động; vận động tham gia phong trào "Toàn dân bảo vệ an ninh Tổ quốc".
2. Nắm tình hình, kịp thời phát hiện và báo cáo lãnh đạo Văn phòng những biểu hiện, hành vi vi phạm.
3. Khi xảy ra vụ việc: báo cáo ngay lãnh đạo Văn phòng, có mặt tại hiện trường, ngăn chặn, hạn chế thiệt hại, bảo vệ hiện trường, nắm tình hình để cung cấp cho cơ quan Công an.
4. Tham gia đánh giá, đề nghị công nhận cơ quan đạt tiêu chuẩn "An toàn về an ninh, trật tự" và đề xuất khen thưởng.

Điều 3. Chế độ trực
Tổ phân công trực theo lịch hằng tháng; người trực và người dự bị giữ liên lạc thông suốt trong ca trực."""


def seed() -> str:
    office = _office()
    departments = _departments(office)
    positions = _positions()
    people = _staff(departments, positions)
    team = _team(office)
    _roster(team, people)
    created = _duty(team, people)
    return f"Team: {len(people)} staff, {created} new duty shifts."


def person(username: str) -> User:
    """A demo person, for the other apps' demo data."""
    return User.objects.get(username=username)


def _office():
    office, _ = Office.objects.get_or_create(
        abbreviation="VP",
        defaults={
            "name": "Văn phòng UBND tỉnh Bình An",
            "managing_body": "UBND tỉnh Bình An",
            "managing_body_abbreviation": "UBND",
            "place_name": "Bình An",
            "address": "Số 1 đường Trung tâm, phường Bình An",
            "phone": "0200 3800 000",
        },
    )
    return office


def _departments(office):
    return {
        abbreviation: Department.objects.get_or_create(
            office=office,
            name=name,
            # The office leadership is a grouping, not one of the units TT 124 criterion 5 counts.
            defaults={"abbreviation": abbreviation, "order": order, "is_subordinate_unit": abbreviation != "LĐVP"},
        )[0]
        for order, (name, abbreviation) in enumerate(DEPARTMENTS)
    }


def _positions():
    return {
        name: Position.objects.get_or_create(name=name, defaults={"kind": kind, "order": order})[0]
        for name, kind, order in POSITIONS
    }


def _staff(departments, positions):
    people = {}
    for username, full_name, dept, position, phone, _role, is_admin in STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "department": departments[dept],
                "position": positions[position],
                "phone": phone,
                "email": f"{username}@vpubnd.binhan.example",
                # Everyone has worked here since before the team was set up: they all count for TT 124.
                "date_joined": STAFF_SINCE,
                "is_staff": is_admin,
                "is_superuser": is_admin,
                # The administrator is no staff member: not invited, not counted, not on duty.
                "is_system_account": is_admin,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        people[username] = user
    return people


def _team(office):
    decision, _ = Decision.objects.get_or_create(
        number="125/QĐ-VP",
        signed_on=date(2023, 7, 10),
        defaults={
            "signer_name": "Nguyễn Quốc Hùng",
            "signer_title": "Chánh Văn phòng",
            "summary": "Về việc thành lập Tổ bảo vệ an ninh, trật tự cơ quan Văn phòng UBND tỉnh",
        },
    )
    team, _ = Team.objects.get_or_create(
        office=office,
        defaults={
            "name": "Tổ bảo vệ an ninh, trật tự cơ quan",
            "abbreviation": "TBV",
            "establishment_decision": decision,
            "start_date": TEAM_START,
        },
    )
    OperatingRegulation.objects.get_or_create(
        team=team,
        version=1,
        defaults={
            "title": "Quy chế hoạt động của Tổ bảo vệ an ninh, trật tự cơ quan",
            "decision": decision,
            "effective_from": TEAM_START,
            "content": REGULATION_TEXT,
        },
    )
    return team


def _roster(team, people):
    decision = team.establishment_decision
    for username, _name, _dept, _pos, _phone, role, _admin in STAFF:
        if role is None or Membership.objects.active().filter(user=people[username]).exists():
            continue
        services.appoint_member(team=team, user=people[username], role=role, start_date=TEAM_START, decision=decision)


def _duty(team, people):
    """Day and night shifts for a month from the start of this week, rotating through the roster."""
    roster = [people[username] for username, *_rest, role, _admin in STAFF if role is not None]
    # From the Sunday before this week, so its night shift covers Monday before 07:30 too.
    first_day = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 1)
    created = 0
    for offset in range(31):
        day = first_day + timedelta(days=offset)
        index = day.toordinal()
        for shift_number, (start, end) in enumerate((DAY_SHIFT, NIGHT_SHIFT)):
            if DutyShift.objects.filter(team=team, date=day, start_time=start).exists():
                continue
            services.schedule_shift(
                team=team,
                day=day,
                start=start,
                end=end,
                member=roster[(index * 2 + shift_number) % len(roster)],
                backup=roster[(index * 2 + shift_number + 3) % len(roster)],
            )
            created += 1
    return created


# Printed by seed_demo and listed in the README: every account that holds a role (tests/test_seed_demo.py
# checks it), and one ordinary staff member.
DEMO_LOGINS = [
    ("admin", "Administrator (Quản trị hệ thống)"),
    ("minh.hv", "Team leader — Deputy Chief of Office (Tổ trưởng, Phó Chánh Văn phòng)"),
    ("lan.tt", "Deputy team leader — Phòng Nội chính - Pháp chế (Tổ phó)"),
    ("tuan.la", "Team member (Tổ viên)"),
    ("nam.pv", "Team member (Tổ viên)"),
    ("hai.nd", "Team member (Tổ viên)"),
    ("phuong.vt", "Team member (Tổ viên)"),
    ("khoa.bd", "Team member (Tổ viên)"),
    ("hung.nq", "Chief of Office (Chánh Văn phòng), level 2 of the escalation chain"),
    ("thu.dt", "Deputy Chief of Office in charge (Phó Chánh Văn phòng), level 1 of the escalation chain"),
    ("hoa.pt", "Staff member (Cán bộ)"),
]
