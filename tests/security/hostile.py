"""Tools for the hostile-input tests: malicious values, form discovery from the rendered
pages, the "no script runs" check and the cross-cell integrity checks."""

import datetime
import hashlib
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.db.models import F
from hypothesis import strategies as st

from meetings import models as m
from meetings.periods import quarter_of

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'

# Fixed payloads: markup and script, SQL, templates, control characters, formula starts,
# wrong types for number/date/time fields and out-of-range dates.
PAYLOADS = [
    SCRIPT,
    IMG,
    "'><svg onload=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "javascript:alert(1)",
    '<div hx-on:click="alert(1)" hx-get="javascript:alert(1)">x</div>',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "'; DROP TABLE meetings_meeting; --",
    "1' OR '1'='1",
    '" OR ""="',
    "1; SELECT pg_sleep(10)",
    "{{ 7|add:7 }}{% debug %}",
    "%s%s%s%n",
    "../../etc/passwd",
    "\x00",
    "a\x00b",
    "\r\nBcc: evil@example.com",
    "Tên\r\nBcc: evil@example.com",
    "\x1b[31m\x07\x08",
    "\u202eRTL\u200b\ufeff",
    "Nguyễn Văn 🐉 𝕏",
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "",
    " ",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    str(10**30),
    str(-(10**30)),
    "0x10",
    "31/02/2026",
    "01/01/0001",
    "9999-12-31",
    "0000-00-00",
    "2026-02-31",
    "2026-13-01",
    "25:61",
    "-01:00",
    "99999999999999999999:00",
    "true",
    "[]",
    "{}",
]

LONG_SEEDS = [SCRIPT, "Đ", "x", IMG, "'; DROP TABLE meetings_meeting; --"]


def _date_text(d: datetime.date, style: int) -> str:
    if style == 0:
        return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def long_strings():
    """10k-40k characters, built cheaply from a seed."""
    return st.builds(
        lambda seed, n: seed * (n // len(seed) + 1), st.sampled_from(LONG_SEEDS), st.integers(10_000, 40_000)
    )


def limit_strings():
    """One character over a bound of meetings/models/limits.py or of a name field, and a
    hundred times over the shorter ones: refused with a message, never a 500."""
    from meetings.models import limits

    bounds = sorted(
        {120, 255, *(v for k, v in vars(limits).items() if k.endswith("_MAX_LENGTH") and isinstance(v, int))}
    )
    lengths = [n + 1 for n in bounds if n <= limits.COMPLETED_TEXT_MAX_LENGTH] + [
        n * 100 for n in bounds if n <= limits.NOTE_MAX_LENGTH
    ]
    return st.builds(
        lambda seed, n: (seed * (n // len(seed) + 1))[:n], st.sampled_from(LONG_SEEDS), st.sampled_from(lengths)
    )


def hostile_values(foreign_ids: list[int]):
    """Any value a hostile user could put in a field (valid unicode only: browsers cannot send
    lone surrogates)."""
    return st.one_of(
        st.sampled_from(PAYLOADS),
        st.sampled_from(PAYLOADS),
        long_strings(),
        limit_strings(),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
        st.text(st.characters(codec="ascii"), max_size=20),
        st.integers(-(10**30), 10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.builds(_date_text, st.dates(), st.integers(0, 1)),
        st.sampled_from(foreign_ids).map(str),
    )


# --- discovering forms in the rendered pages ------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict = field(default_factory=dict)  # name -> default value
    choices: dict = field(default_factory=dict)  # name -> list of option/radio values
    files: set = field(default_factory=set)
    types: dict = field(default_factory=dict)  # name -> input type, "select" or "textarea"

    def plausible(self) -> dict:
        """What a careful user would post: the page's values, empty text filled in."""
        from django.utils import timezone

        today = timezone.localdate()
        filler = {
            "text": "Nội dung hợp lệ",
            "textarea": "Nội dung hợp lệ\nDòng thứ hai",
            "date": today.isoformat(),
            "time": "08:00",
            "number": "5",
            "email": "hop.le@example.vn",
        }
        return {
            name: value if value not in (None, "") else filler.get(self.types.get(name, ""), "")
            for name, value in self.fields.items()
        }


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(action=a.get("action") or self.page_url, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                form.files.add(name)
            elif kind in ("checkbox", "radio"):
                form.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a or name not in form.fields:
                    form.fields[name] = a.get("value", "on") if "checked" in a else form.fields.get(name, "")
            elif kind not in ("submit", "button", "reset", "image"):
                form.fields[name] = a.get("value") or ""
                form.types[name] = kind
        elif tag == "button" and name:
            form.choices.setdefault(name, []).append(a.get("value", ""))
            form.fields.setdefault(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            form.fields.setdefault(name, None)
            form.types[name] = "select"
        elif tag == "option" and self._select:
            value = a.get("value", "")
            form.choices.setdefault(self._select, []).append(value)
            if "selected" in a or (form.fields.get(self._select) in (None, "") and value):
                form.fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
            form.types[name] = "textarea"

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            if self._form and self._select and self._form.fields.get(self._select) is None:
                self._form.fields[self._select] = ""
            self._select = None
        elif tag == "textarea" and self._textarea and self._form:
            self._form.fields[self._textarea] = "".join(self._text).lstrip("\n")
            self._textarea = None


def discover_forms(html: str, page_url: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms


def forms_posting_to(client, pages: list[str], action_path: str) -> list[Form]:
    """Every POST form found on the given pages whose action is `action_path` (query ignored)."""
    found = []
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
        for form in discover_forms(response.content.decode(), page):
            if form.method == "post" and form.action.split("?")[0] == action_path:
                found.append(form)
    return found


# --- "no stored script runs" --------------------------------------------------------------

URL_ATTRS = {"href", "src", "action", "formaction", "data", "hx-get", "hx-post", "hx-put", "hx-delete", "poster"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


class _ScriptFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            src = a.get("src") or ""
            data_only = (a.get("type") or "") == "application/json" and not src  # json_script escapes <, >, &
            if not src.startswith("/static/") and not data_only:
                self.problems.append(f"<script> that is not a static file: {attrs!r}")
        if tag in ("iframe", "object", "embed", "svg", "math", "base"):
            self.problems.append(f"unexpected <{tag}>")
        for name, value in attrs:
            lowered = (value or "").strip().lower().replace("\x00", "")
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"event handler attribute {name}={value!r} on <{tag}>")
            if name in URL_ATTRS and lowered.startswith(DANGEROUS_SCHEMES):
                self.problems.append(f"{name}={value!r} on <{tag}>")
            if name in ("hx-vals", "hx-headers") and lowered.startswith(("js:", "javascript:")):
                self.problems.append(f"{name}={value!r} on <{tag}>")


def script_problems(html: str) -> list[str]:
    """Markup that would run script: only possible if user text reached the page unescaped."""
    problems = []
    for raw in (SCRIPT, "<img src=x onerror=", "<svg onload="):
        if raw in html:
            problems.append(f"raw payload {raw!r} in the page")
    finder = _ScriptFinder()
    finder.feed(html)
    return problems + finder.problems


def assert_no_script(response, where: str) -> None:
    if "text/html" not in response.get("Content-Type", ""):
        return
    problems = script_problems(response.content.decode(errors="replace"))
    assert not problems, f"{where}: {problems[:3]}"


# --- cross-cell integrity -----------------------------------------------------------------


def _cell_querysets(cell_id: int):
    return [
        m.Organization.objects.filter(pk=cell_id),
        m.Member.objects.filter(cell_id=cell_id),
        m.Plan.objects.filter(cell_id=cell_id),
        m.Topic.objects.filter(cell_id=cell_id),
        m.Contribution.objects.filter(topic__cell_id=cell_id),
        m.Meeting.objects.filter(cell_id=cell_id),
        m.Attendance.objects.filter(meeting__cell_id=cell_id),
        m.AttendanceReply.objects.filter(meeting__cell_id=cell_id),
        m.Speech.objects.filter(meeting__cell_id=cell_id),
        m.Guest.objects.filter(meeting__cell_id=cell_id),
        m.MeetingStep.objects.filter(meeting__cell_id=cell_id),
        m.Conclusion.objects.filter(meeting__cell_id=cell_id),
        m.Resolution.objects.filter(meeting__cell_id=cell_id),
        m.Minutes.objects.filter(cell_id=cell_id),
    ]


def _cross_cell_querysets():
    """Rows of one cell that point at a member, meeting, topic or plan of another cell."""
    return {
        "attendance member": m.Attendance.objects.exclude(member__cell_id=F("meeting__cell_id")),
        "reply member": m.AttendanceReply.objects.exclude(member__cell_id=F("meeting__cell_id")),
        # A guest's remark has no speaker (exactly one of the two is set): checked by its guest.
        "speaker": m.Speech.objects.filter(speaker__isnull=False).exclude(speaker__cell_id=F("meeting__cell_id")),
        "speech guest": m.Speech.objects.filter(guest__isnull=False).exclude(guest__meeting_id=F("meeting_id")),
        "speech contribution": m.Speech.objects.filter(contribution__isnull=False).exclude(
            contribution__topic_id=F("meeting__topic_id")
        ),
        "chair": m.Meeting.objects.filter(chair__isnull=False).exclude(chair__cell_id=F("cell_id")),
        "clerk": m.Meeting.objects.filter(clerk__isnull=False).exclude(clerk__cell_id=F("cell_id")),
        "responsible": m.Meeting.objects.filter(responsible__isnull=False).exclude(responsible__cell_id=F("cell_id")),
        "meeting topic": m.Meeting.objects.filter(topic__isnull=False).exclude(topic__cell_id=F("cell_id")),
        "meeting plan": m.Meeting.objects.filter(plan__isnull=False).exclude(plan__cell_id=F("cell_id")),
        "contribution member": m.Contribution.objects.exclude(member__cell_id=F("topic__cell_id")),
        "lead author": m.Topic.objects.filter(lead_author__isnull=False).exclude(lead_author__cell_id=F("cell_id")),
        "minutes cell": m.Minutes.objects.exclude(cell_id=F("meeting__cell_id")),
    }


_SQL: dict = {}


def _compiled(key, build):
    """The SQL of the check queries, compiled once: they run after every hostile request."""
    if key not in _SQL:
        _SQL[key] = build()
    return _SQL[key]


def _run(statements) -> list:
    from django.db import connection

    results = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return results


def cell_fingerprint(cell_id: int) -> str:
    """A digest of every row that belongs to one cell."""
    from django.db import connection

    statements = _compiled(
        ("cell", connection.vendor, cell_id),
        lambda: [qs.order_by("pk").values_list().query.sql_with_params() for qs in _cell_querysets(cell_id)],
    )
    return hashlib.sha256(repr(_run(statements)).encode()).hexdigest()


def cross_cell_rows() -> list[str]:
    """Rows of one cell that point at a member or meeting of another cell."""
    from django.db import connection

    checks = _compiled(
        ("cross", connection.vendor),
        lambda: [
            (label, qs.values_list("pk")[:5].query.sql_with_params()) for label, qs in _cross_cell_querysets().items()
        ],
    )
    results = _run([statement for _, statement in checks])
    return [f"{label}: {rows}" for (label, _), rows in zip(checks, results, strict=True) if rows]


class Counter:
    """How many requests and hostile field values the tests sent."""

    def __init__(self):
        self.requests = 0
        self.values = 0
        self.answers: dict[int, int] = {}

    def add(self, values: int) -> None:
        self.requests += 1
        self.values += values

    def answer(self, status: int) -> None:
        self.answers[status] = self.answers.get(status, 0) + 1

    def summary(self) -> str:
        answers = ", ".join(f"{code}: {n}" for code, n in sorted(self.answers.items()))
        return f"{self.requests} hostile requests carrying {self.values} hostile values (answers {answers})"


COUNTER = Counter()


# --- the world ------------------------------------------------------------------------------


def build_hostile_world():
    """The access-test world plus a meeting being held in the owning cell and a full set of
    rows in the other cell, whose ids are posted everywhere."""
    from django.utils import timezone

    from tests import factories as f
    from tests.security.world import build_world

    world = build_world()
    cell, other = world.cell, world.other_cell
    o = world.objects
    secretary = m.Member.objects.get(user=world.users["secretary"])
    member = o["member"]
    today = timezone.localdate()
    quarter = quarter_of(today)

    live_topic = f.TopicFactory(
        cell=cell,
        year=today.year,
        title="Nâng cao chất lượng sinh hoạt",
        lead_author=member,
        lead_paper_status=m.LeadPaperStatus.APPROVED,
        lead_paper_text="Đề dẫn",
    )
    live_contribution = f.ContributionFactory(topic=live_topic, member=member, subject="Tham luận trực tiếp")
    live = f.MeetingFactory(
        cell=cell,
        topic=live_topic,
        plan=o["plan"],
        stage="in_progress",
        scheduled_date=today,
        start_time=datetime.time(0, 0),
        place="Hội trường",
        year=today.year,
        quarter=quarter,
        chair=secretary,
        clerk=m.Member.objects.get(user=world.users["committee_member"]),
    )
    for expected in m.Member.objects.filter(cell=cell):
        m.Attendance.objects.create(meeting=live, member=expected, status="present")
    m.Speech.objects.create(meeting=live, speaker=member, position=1, content="Ý kiến thứ nhất")
    m.Speech.objects.create(meeting=live, speaker=secretary, position=2, content="Ý kiến thứ hai")
    m.Guest.objects.create(meeting=live, name="Đại biểu Khối", title="Đảng ủy Khối")
    m.Guest.objects.create(meeting=o["meeting"], name="Đại biểu", title="")

    # The other cell: every kind of row, all of whose ids are posted as hostile values.
    other_secretary = m.Member.objects.get(user=world.users["other_secretary"])
    other_member = f.MemberFactory(cell=other, full_name="Ngô Thị Ngoài")
    other_plan = f.PlanFactory(cell=other, year=today.year)
    other_topic = f.TopicFactory(cell=other, year=today.year, title="Chuyên đề chi bộ khác", lead_author=other_member)
    other_contribution = f.ContributionFactory(topic=other_topic, member=other_member, subject="Tham luận khác")
    other_meeting = f.MeetingFactory(
        cell=other,
        topic=other_topic,
        plan=other_plan,
        stage="in_progress",
        scheduled_date=today,
        start_time=datetime.time(0, 0),
        place="Phòng họp",
        year=today.year,
        quarter=quarter,
        chair=other_secretary,
        clerk=other_member,
    )
    m.Attendance.objects.create(meeting=other_meeting, member=other_member, status="present")
    other_speech = m.Speech.objects.create(meeting=other_meeting, speaker=other_member, position=1, content="Khác")
    other_guest = m.Guest.objects.create(meeting=other_meeting, name="Khách", title="")
    o.update(
        live_meeting=live,
        live_topic=live_topic,
        live_contribution=live_contribution,
        other_member=other_member,
        other_meeting=other_meeting,
    )
    world.foreign_ids = sorted(
        {
            other_secretary.pk,
            other_member.pk,
            other_plan.pk,
            other_topic.pk,
            other_contribution.pk,
            other_meeting.pk,
            other_speech.pk,
            other_guest.pk,
            o["unrelated_cell"].pk,
            other.pk,
        }
    )
    world.foreign_member_ids = [other_secretary.pk, other_member.pk]
    return world
