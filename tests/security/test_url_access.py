"""Every URL pattern of the project, for every role, for reading and for POST.

The patterns come from the URLconf itself: a page added without an entry in ACCESS fails
`test_every_url_pattern_is_covered`, so no page can escape this test.

Codes: L = redirect to login, 200, 403, 404, 405 (method not allowed). For POST, "ok"
means the request was accepted and answered without an error (200, 302 or 400: an
empty form gets its Vietnamese error messages back). For every refused POST, the database
must be unchanged.
"""

import pytest
from django.apps import apps
from django.urls import URLResolver, get_resolver, reverse

from tests.security.world import ROLES, build_world

pytestmark = pytest.mark.django_db

# Role order: anonymous, member, committee_member, secretary, deputy, other_secretary,
#             staff (of the superior committee), unrelated_staff, superuser.
READ_CELL = "L 200 200 200 200 404 200 404 200"  # any reader of the owning cell
READ_OWN_CELL = "L 200 200 200 200 200 404 404 404"  # pages about "my cell" (no object)
PREPARE = "L 403 ok ok ok 404 403 404 ok"
MANAGE = "L 403 403 ok ok 404 403 404 ok"
MANAGE_OWN_CELL = "L 403 403 ok ok ok 404 404 404"
MANAGE_OWN_CELL_PAGE = "L 403 403 200 200 200 404 404 404"
COMMITTEE_OBJ = "L 403 403 403 403 403 200 404 200"
COMMITTEE_HOME = "L 403 403 403 403 403 200 200 200"
LOGGED_IN = "L 200 200 200 200 200 200 200 200"
PUBLIC = "200 200 200 200 200 200 200 200 200"
POST_ONLY = "L 405 405 405 405 405 405 405 405"


def _codes(spec: str) -> list[str]:
    return spec.split()


# name: (object the URL points at or None, GET expectation, POST expectation)
ACCESS = {
    "home": (None, LOGGED_IN, None),
    "healthz": (None, PUBLIC, "405 405 405 405 405 405 405 405 405"),
    "accounts:login": (None, PUBLIC, None),
    "accounts:logout": (None, None, None),  # POST logs out; covered in tests/views/test_home.py
    "accounts:password_change": (None, LOGGED_IN, "L ok ok ok ok ok ok ok ok"),
    "accounts:password_change_done": (None, LOGGED_IN, None),
    "accounts:session_list": (None, LOGGED_IN, None),
    "accounts:session_end": (None, POST_ONLY, "L ok ok ok ok ok ok ok ok"),
    # Issue 18: each user's own signing certificate (no object: nobody else's can be reached).
    "accounts:signing_certificate": (None, LOGGED_IN, "L ok ok ok ok ok ok ok ok"),
    "accounts:password_reset": (None, PUBLIC, "ok ok ok ok ok ok ok ok ok"),
    "accounts:password_reset_done": (None, PUBLIC, None),
    "accounts:password_reset_confirm": ("reset_link", PUBLIC, None),  # a wrong link: "không còn dùng được"
    "accounts:password_reset_complete": (None, PUBLIC, None),
    # The guide holds no cell's data: readable by everyone, logged in or not.
    "guide:index": (None, PUBLIC, None),
    "guide:secretary": (None, PUBLIC, None),
    "guide:member": (None, PUBLIC, None),
    "guide:committee": (None, PUBLIC, None),
    # Workflow
    "plans:index": (None, READ_OWN_CELL, "L 403 ok ok ok ok 404 404 404"),
    "plans:detail": ("plan", READ_CELL, PREPARE),
    "plans:submit": ("plan", POST_ONLY, MANAGE),
    "plans:reopen": ("plan", POST_ONLY, MANAGE),
    "topics:detail": ("topic", READ_CELL, PREPARE),
    # Exemplary topics: committee staff above the cell mark a finished topic (issue 17).
    "topics:exemplary_mark": ("done_topic", POST_ONLY, "L 403 403 403 403 403 ok 404 ok"),
    "topics:exemplary_unmark": ("done_topic", POST_ONLY, "L 403 403 403 403 403 ok 404 ok"),
    "meetings:list": (None, LOGGED_IN, None),
    # A plain member is sent to their own page of the meeting (portal).
    "meetings:detail": ("meeting", "L 302 200 200 200 404 200 404 200", None),
    "meetings:schedule": ("meeting", POST_ONLY, PREPARE),
    "meetings:guest": ("meeting", POST_ONLY, PREPARE),
    "meetings:transition": ("meeting", POST_ONLY, PREPARE),
    "meetings:run": ("meeting", "L 302 200 200 200 404 200 404 200", None),
    "meetings:run_action": ("meeting", POST_ONLY, PREPARE),
    # Review of an earlier action item at this meeting (issue 17, item 2).
    "meetings:action_review": (("meeting", "action_item"), POST_ONLY, PREPARE),
    "meetings:finalize": ("meeting", "L 302 200 200 200 404 200 404 200", MANAGE),
    "meetings:minutes_adoption": ("meeting", POST_ONLY, MANAGE),
    "meetings:addendum": ("finalized_meeting", POST_ONLY, MANAGE),
    # Issue 18: only the chair or the clerk frozen in the minutes' snapshot signs; the world's
    # minutes freeze neither, so every reader of the cell is refused (the signers' path is in
    # tests/views/test_signing.py); other cells 404.
    "meetings:sign": ("finalized_meeting", POST_ONLY, "L 403 403 403 403 404 403 404 403"),
    # Members' portal
    "portal:tasks": (None, READ_OWN_CELL, None),
    "portal:contribution_edit": ("contribution", "L 200 200 200 200 404 404 404 200", "L ok ok ok ok 404 404 404 ok"),
    "portal:contribution_file": ("contribution", "L 404 404 404 404 404 404 404 404", None),  # no file uploaded
    "portal:meetings": (None, READ_OWN_CELL, None),
    "portal:meeting_reply": ("meeting", POST_ONLY, "L ok ok ok ok 404 404 404 404"),
    # Only the owner reports progress (a member's item: not even the secretary); others 404.
    "portal:action_progress": ("action_item", "L 200 404 404 404 404 404 404 404", "L ok 404 404 404 404 404 404 404"),
    "library:index": (None, READ_OWN_CELL, None),
    "library:detail": ("done_topic", "L 200 200 200 200 404 404 404 404", None),
    "library:pdf": ("done_topic", "L 200 200 200 200 404 404 404 404", None),
    "library:use": ("done_topic", POST_ONLY, "L 403 ok ok ok 404 404 404 404"),
    "calendar:settings": (None, LOGGED_IN, None),
    "calendar:regenerate": (None, POST_ONLY, "L ok ok ok ok ok ok ok ok"),
    "calendar:feed": ("calendar_token", PUBLIC, None),
    # Member list
    "members:list": (None, MANAGE_OWN_CELL_PAGE, None),
    "members:create": (None, MANAGE_OWN_CELL_PAGE, MANAGE_OWN_CELL),
    "members:edit": ("member", "L 403 403 200 200 404 403 404 200", MANAGE),
    "members:follower": ("cell", "L 403 403 200 200 404 403 404 200", MANAGE),
    "members:document_settings": ("cell", "L 403 403 200 200 404 403 404 200", MANAGE),
    "members:export": (None, MANAGE_OWN_CELL_PAGE, None),
    "members:import": (None, MANAGE_OWN_CELL_PAGE, MANAGE_OWN_CELL),
    "members:import_template": (None, MANAGE_OWN_CELL_PAGE, None),
    "members:import_confirm": (None, POST_ONLY, MANAGE_OWN_CELL),
    # Committee
    "dashboard:home": (None, COMMITTEE_HOME, None),
    "dashboard:org": ("superior", COMMITTEE_OBJ, None),
    "dashboard:export": ("superior", COMMITTEE_OBJ, None),
    "dashboard:cell": ("cell", COMMITTEE_OBJ, None),
    "dashboard:actions": ("superior", COMMITTEE_OBJ, None),
    "dashboard:actions_export": ("superior", COMMITTEE_OBJ, None),
    "reports:inbox": (None, COMMITTEE_HOME, None),
    "reports:detail": ("report", COMMITTEE_OBJ, None),
    "reports:review": ("report", POST_ONLY, "L 403 403 403 403 403 ok 404 ok"),
    "reports:cell_list": (None, MANAGE_OWN_CELL_PAGE, None),
    "reports:cell_correct": ("report", POST_ONLY, "L 403 403 ok ok 404 404 404 ok"),
    "archive:cell": ("cell", READ_CELL, None),
    "archive:org": ("superior", COMMITTEE_OBJ, None),
    "archive:year_book": ("cell", READ_CELL, None),
    # Documents
    "minutes:pdf": ("minutes", READ_CELL, None),
    "minutes:verify": (None, LOGGED_IN, "L ok ok ok ok ok ok ok ok"),
    "minutes:addendum_pdf": ("addendum", READ_CELL, None),
    # The cell's register of decisions (issue 17): every reader of the cell, export included.
    "minutes:register": ("cell", READ_CELL, None),
    "minutes:register_export": ("cell", READ_CELL, None),
    "meetings:minutes_pdf": ("finalized_meeting", READ_CELL, None),
    "meetings:notice_pdf": ("meeting", READ_CELL, None),
    "meetings:attendance_sheet_pdf": ("meeting", READ_CELL, None),
    "topics:pdf": ("topic", READ_CELL, None),
    "plans:pdf": ("plan", READ_CELL, None),
    "topics:lead_file": ("topic", "L 404 404 404 404 404 404 404 404", None),  # the world's topic has no file
    "topics:completed_file": ("topic", "L 404 404 404 404 404 404 404 404", None),
    # Outbox
    "notifications:home": (None, "L 302 302 302 302 302 404 404 404", None),  # redirects to the cell's outbox
    "notifications:list": ("cell", "L 403 200 200 200 404 403 404 200", None),
    "notifications:resend": (("cell", "notification"), POST_ONLY, PREPARE),
}


def _url_names():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith("admin/"):
                    continue  # Django's admin has its own staff-only checks
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                yield from walk(pattern.url_patterns, namespace)
            else:
                yield prefix + pattern.name

    return sorted({name for name in walk(get_resolver().url_patterns)})


def test_every_url_pattern_is_covered():
    missing = [name for name in _url_names() if name not in ACCESS]
    assert missing == [], f"add these URL names to ACCESS with their expected answers: {missing}"


def _url(world, name, target):
    if target is None:
        return reverse(name)
    if target == "reset_link":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "sai-ma"})
    if target == "calendar_token":
        return reverse(name, kwargs={"token": world.users["member"].calendar_token})
    if isinstance(target, tuple):
        return reverse(name, args=[world.objects[key].pk for key in target])
    return reverse(name, args=[world.objects[target].pk])


def _answer(response) -> str:
    if response.status_code == 302 and "/dang-nhap/" in response.get("Location", ""):
        return "L"
    return str(response.status_code)


def _fingerprint():
    """Row counts and a content digest of every table the app owns."""
    import hashlib

    digest = {}
    for model in apps.get_app_config("meetings").get_models():
        if model.__name__.endswith("Event") or model.__name__ in {"UserSession"}:
            continue
        rows = list(model.objects.order_by("pk").values_list())
        digest[model.__name__] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digest


@pytest.fixture
def world():
    return build_world()


def _client(client_factory, world, role):
    client = client_factory()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("name", sorted(n for n, spec in ACCESS.items() if spec[1]))
def test_reading(name, world, client_factory):
    target, expected, _ = ACCESS[name]
    url = _url(world, name, target)
    answers = [_answer(_client(client_factory, world, role).get(url)) for role in ROLES]
    assert answers == _codes(expected), " ".join(answers)


@pytest.mark.parametrize("name", sorted(n for n, spec in ACCESS.items() if spec[2]))
def test_posting(name, world, client_factory):
    target, _, expected = ACCESS[name]
    url = _url(world, name, target)
    answers = []
    for role, want in zip(ROLES, _codes(expected), strict=True):
        client = _client(client_factory, world, role)
        before = _fingerprint() if want != "ok" else None
        response = client.post(url, {})
        got = _answer(response)
        if want == "ok":
            answers.append("ok" if response.status_code in (200, 302, 400) else got)
        else:
            answers.append(got)
            assert _fingerprint() == before, f"{role} changed data through a refused POST to {name}"
    assert answers == _codes(expected), " ".join(answers)


def test_objects_of_another_cell_answer_like_missing_ones(world, client_factory):
    """404 for another cell's object is indistinguishable from a non-existent id."""
    client = _client(client_factory, world, "other_secretary")
    for name, (target, expected, _) in ACCESS.items():
        if not expected or target in (None, "calendar_token") or isinstance(target, tuple):
            continue
        foreign = client.get(_url(world, name, target))
        if foreign.status_code != 404:
            continue
        missing = client.get(reverse(name, args=[987654]))
        assert missing.status_code == 404, name
        assert foreign.content == missing.content, name


def test_combination_count():
    """Reported in the issue note: how many URL × role × method combinations are walked."""
    reads = sum(1 for spec in ACCESS.values() if spec[1]) * len(ROLES)
    posts = sum(1 for spec in ACCESS.values() if spec[2]) * len(ROLES)
    assert reads + posts > 500
