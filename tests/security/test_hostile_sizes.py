"""Hostile sizes: every free-text field has a bound that the form states, the form and the
service check, and the database enforces (meetings/models/limits.py). For each: at the limit
it is accepted, one over and a hundred times over it is refused with a Vietnamese message and
nothing is stored; a multi-megabyte POST is refused with a 400 page before anything is read."""

import functools

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from meetings import forms as f
from meetings import models as m
from meetings.models import limits
from meetings.services import contributions as contribution_services
from meetings.services import meeting_run, plans
from meetings.services import meetings as meeting_services
from meetings.services import topics as topic_services
from tests.security import hostile as h

pytestmark = pytest.mark.django_db

TOO_LONG = "tối đa"


def sizes(limit: int):
    """(length, accepted): at the limit, one over, a hundred times over."""
    return [(limit, True), (limit + 1, False), (limit * 100, False)]


def text(n: int) -> str:
    return ("Đảng " * (n // 5 + 1))[:n].replace(" ", "x") if n else ""


# Every form with free text: (form class, its extra kwargs, the other fields it needs, field, limit).
FORMS = [
    (f.PlanCreateForm, {}, {"year": 2026}, "note", limits.NOTE_MAX_LENGTH),
    (f.TopicEditForm, {}, {"title": "T", "group": "GROUP"}, "title", limits.TOPIC_TITLE_MAX_LENGTH),
    (f.TopicEditForm, {}, {"title": "T", "group": "GROUP"}, "description", limits.DESCRIPTION_MAX_LENGTH),
    (f.LeadPaperForm, {}, {}, "text", limits.LEAD_PAPER_MAX_LENGTH),
    (f.CompletedTopicForm, {}, {}, "text", limits.COMPLETED_TEXT_MAX_LENGTH),
    (f.ScheduleForm, {"cell_id": 0}, {"scheduled_date": "2026-01-05", "start_time": "08:00"}, "place", 255),
    (f.GuestForm, {}, {"name": "A"}, "name", 120),
    (f.GuestForm, {}, {"name": "A"}, "title", 255),
    (f.StepForm, {"cell_id": 0}, {"step": "programme"}, "text", limits.MEETING_TEXT_MAX_LENGTH),
    (f.StepForm, {"cell_id": 0}, {"step": "programme"}, "note", limits.NOTE_MAX_LENGTH),
    (f.ResolutionForm, {}, {"text": "N", "votes_for": 1}, "text", limits.RESOLUTION_MAX_LENGTH),
    (f.AddendumForm, {}, {"text": "A"}, "text", limits.ADDENDUM_MAX_LENGTH),
    *[
        (
            f.ConclusionForm,
            {"criteria": []},
            {"preparation_evaluation": "A", "quality_evaluation": "B", "adopted": "C"},
            name,
            limits.CONCLUSION_TEXT_MAX_LENGTH,
        )
        for name in ("preparation_evaluation", "quality_evaluation", "adopted", "orientation")
    ],
    (f.ReservationForm, {"cell_id": 0}, {}, "text", limits.RESERVATION_MAX_LENGTH),
    (f.SpeechForm, {"cell_id": 0}, {}, "content", limits.SPEECH_MAX_LENGTH),
]


def _ids(case):
    return f"{case[0].__name__}.{case[3]}"


@pytest.mark.parametrize("case", FORMS, ids=_ids)
def test_every_form_states_and_enforces_its_limit(case):
    form_class, kwargs, base, name, limit = case
    group = m.TopicGroup.objects.first()
    base = {k: (group.pk if v == "GROUP" else v) for k, v in base.items()}
    unbound = form_class(**kwargs)
    field = unbound.fields[name]
    assert field.max_length == limit
    assert limits.limit_text(limit) in str(field.help_text)
    assert str(limit) in unbound[name].as_widget().replace(".", "")  # the maxlength attribute
    for length, accepted in sizes(limit):
        form = form_class(data={**base, name: text(length)}, **kwargs)
        form.is_valid()
        if accepted:
            assert name not in form.errors, form.errors
        else:
            assert TOO_LONG in " ".join(form.errors[name])
            assert form[name].value() == text(length)  # what was typed comes back


def test_line_breaks_count_once_like_the_browser():
    form = f.PlanCreateForm(data={"year": 2026, "note": "a\r\n" * (limits.NOTE_MAX_LENGTH // 2)})
    assert form.is_valid(), form.errors


def test_member_form_states_the_name_limit():
    form = f.MemberForm()
    assert limits.limit_text(120) in str(form.fields["full_name"].help_text)


# --- the services refuse an over-long text that did not come through a form --------------


@pytest.fixture
def world():
    return h.build_hostile_world()


def _refused(call, field):
    with pytest.raises(ValidationError) as caught:
        call()
    assert TOO_LONG in " ".join(caught.value.message_dict[field])


@pytest.mark.parametrize("extra", [1, 100])
def test_run_services_refuse_over_long_texts_and_store_nothing(world, extra):
    o = world.objects
    live = o["live_meeting"]
    actor = world.users["secretary"]
    member = o["member"]
    before = (m.Speech.objects.count(), m.Resolution.objects.count(), m.MeetingStep.objects.count())
    over = limits.SPEECH_MAX_LENGTH * extra + (1 if extra == 1 else 0)
    _refused(
        lambda: meeting_run.speech_add(
            meeting=live, actor=actor, version=None, speaker=member, guest=None, content=text(over)
        ),
        "content",
    )
    _refused(
        lambda: meeting_run.meeting_resolution_save(
            meeting=live, actor=actor, version=None, text=text(limits.RESOLUTION_MAX_LENGTH * extra + 1), votes_for=1
        ),
        "text",
    )
    _refused(
        lambda: meeting_run.meeting_step_record(
            meeting=live, actor=actor, step="programme", text="Chương trình", note=text(limits.NOTE_MAX_LENGTH + 1)
        ),
        "note",
    )
    _refused(
        lambda: meeting_run.meeting_conclusion_save(
            meeting=live,
            actor=actor,
            version=None,
            preparation_evaluation="A",
            quality_evaluation="B",
            adopted=text(limits.CONCLUSION_TEXT_MAX_LENGTH * extra + 1),
            criteria_scores={},
        ),
        "adopted",
    )
    assert (m.Speech.objects.count(), m.Resolution.objects.count(), m.MeetingStep.objects.count()) == before


def test_speech_at_the_limit_is_saved(world):
    live = world.objects["live_meeting"]
    speech = meeting_run.speech_add(
        meeting=live,
        actor=world.users["secretary"],
        version=None,
        speaker=world.objects["member"],
        guest=None,
        content=text(limits.SPEECH_MAX_LENGTH),
    )
    speech.refresh_from_db()
    assert len(speech.content) == limits.SPEECH_MAX_LENGTH


def test_topic_and_plan_services_refuse_over_long_texts(world):
    o = world.objects
    actor = world.users["secretary"]
    topic = o["topic"]
    _refused(
        lambda: topic_services.topic_submit_lead_paper(
            topic=topic, actor=actor, text=text(limits.LEAD_PAPER_MAX_LENGTH + 1)
        ),
        "text",
    )
    _refused(
        lambda: topic_services.topic_update(
            topic=topic, actor=actor, title="T", group=topic.group, description=text(limits.DESCRIPTION_MAX_LENGTH + 1)
        ),
        "description",
    )
    _refused(
        lambda: contribution_services.contribution_submit(
            contribution=o["contribution"], actor=actor, text=text(limits.CONTRIBUTION_TEXT_MAX_LENGTH + 1)
        ),
        "text",
    )
    _refused(
        lambda: plans.plan_create(cell=world.cell, year=2099, actor=actor, note=text(limits.NOTE_MAX_LENGTH + 1)),
        "note",
    )
    _refused(
        lambda: meeting_services.minutes_addendum_create(
            minutes=o["minutes"], actor=actor, text=text(limits.ADDENDUM_MAX_LENGTH + 1)
        ),
        "text",
    )
    topic.refresh_from_db()
    assert topic.lead_paper_text == "" and topic.description != text(limits.DESCRIPTION_MAX_LENGTH + 1)
    assert not m.Plan.objects.filter(year=2099).exists()


def test_lead_paper_at_the_limit_is_saved(world):
    topic = topic_services.topic_submit_lead_paper(
        topic=world.objects["topic"], actor=world.users["secretary"], text=text(limits.LEAD_PAPER_MAX_LENGTH)
    )
    topic.refresh_from_db()
    assert len(topic.lead_paper_text) == limits.LEAD_PAPER_MAX_LENGTH


def test_long_return_comment_fits_the_activity_log(world):
    topic = world.objects["topic"]
    m.Topic.objects.filter(pk=topic.pk).update(lead_paper_status=m.LeadPaperStatus.SUBMITTED)
    topic_services.topic_return_lead_paper(topic=topic, actor=world.users["secretary"], comment="x" * 50_000)
    assert len(m.Activity.objects.filter(topic=topic).latest("id").action) <= limits.ACTIVITY_ACTION_MAX_LENGTH


# --- through the pages -------------------------------------------------------------------


def _client(world, role="secretary") -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.users[role])
    return client


@pytest.mark.parametrize(("length", "accepted"), sizes(limits.SPEECH_MAX_LENGTH))
def test_speech_page_at_over_and_far_over_the_limit(world, length, accepted):
    live = world.objects["live_meeting"]
    before = m.Speech.objects.filter(meeting=live).count()
    response = _client(world).post(
        reverse("meetings:run_action", args=[live.pk]),
        {
            "action": "speech_add",
            "speaker": world.objects["member"].pk,
            "content": text(length),
            "version": m.Meeting.objects.get(pk=live.pk).version,
        },
    )
    assert response.status_code < 500
    after = m.Speech.objects.filter(meeting=live).count()
    if accepted:
        assert after == before + 1
    else:
        assert after == before
        page = response.content.decode()
        assert TOO_LONG in page
        if length < 100_000:
            assert text(length) in page  # nothing typed is lost


@pytest.mark.parametrize(("length", "accepted"), sizes(limits.DESCRIPTION_MAX_LENGTH))
def test_topic_page_description_at_over_and_far_over_the_limit(world, length, accepted):
    topic = world.objects["topic"]
    response = _client(world).post(
        reverse("topics:detail", args=[topic.pk]),
        {"action": "edit", "title": topic.title, "group": topic.group_id, "description": text(length)},
    )
    assert response.status_code < 500
    topic.refresh_from_db()
    assert (topic.description == text(length)) is accepted
    if not accepted:
        assert TOO_LONG in response.content.decode()


def test_five_megabyte_post_is_refused_with_a_vietnamese_400_and_nothing_stored(world):
    topic = world.objects["topic"]
    before = m.Topic.objects.get(pk=topic.pk).updated_at
    activities = m.Activity.objects.count()
    response = _client(world).post(
        reverse("topics:detail", args=[topic.pk]),
        {"action": "edit", "title": topic.title, "group": topic.group_id, "description": "x" * (5 * 1024 * 1024)},
    )
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    assert m.Topic.objects.get(pk=topic.pk).updated_at == before
    assert m.Activity.objects.count() == activities


def test_the_largest_legitimate_text_form_fits_the_request_limit(world, settings):
    """A completed topic at its limit in 4-byte characters, as the page posts it (multipart)."""
    assert limits.COMPLETED_TEXT_MAX_LENGTH * 4 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


# --- the database refuses whatever writes it ----------------------------------------------

DB_LIMITS = [
    ("live_meeting", m.Meeting, "programme", limits.MEETING_TEXT_MAX_LENGTH),
    ("live_meeting", m.Meeting, "purpose", limits.MEETING_TEXT_MAX_LENGTH),
    ("live_meeting", m.Meeting, "lead_paper_summary", limits.MEETING_TEXT_MAX_LENGTH),
    ("live_meeting", m.Meeting, "author_response", limits.MEETING_TEXT_MAX_LENGTH),
    ("topic", m.Topic, "description", limits.DESCRIPTION_MAX_LENGTH),
    ("topic", m.Topic, "lead_paper_text", limits.LEAD_PAPER_MAX_LENGTH),
    ("topic", m.Topic, "completed_text", limits.COMPLETED_TEXT_MAX_LENGTH),
    ("topic", m.Topic, "search_text", limits.SEARCH_TEXT_MAX_LENGTH),
    ("contribution", m.Contribution, "text", limits.CONTRIBUTION_TEXT_MAX_LENGTH),
    ("plan", m.Plan, "note", limits.NOTE_MAX_LENGTH),
    ("notification", m.Notification, "last_error", limits.LAST_ERROR_MAX_LENGTH),
    ("speech", m.Speech, "content", limits.SPEECH_MAX_LENGTH),
    ("step", m.MeetingStep, "note", limits.NOTE_MAX_LENGTH),
    ("resolution", m.Resolution, "text", limits.RESOLUTION_MAX_LENGTH),
    *[
        ("conclusion", m.Conclusion, name, limits.CONCLUSION_TEXT_MAX_LENGTH)
        for name in ("preparation_evaluation", "quality_evaluation", "adopted", "orientation")
    ],
    ("directed_topic", m.DirectedTopic, "description", limits.DESCRIPTION_MAX_LENGTH),
]


def _row(world, key):
    o = world.objects
    live = o["live_meeting"]
    if key == "speech":
        return m.Speech.objects.filter(meeting=live).first()
    if key == "step":
        return m.MeetingStep.objects.create(meeting=live, step="programme")
    if key == "resolution":
        return m.Resolution.objects.create(meeting=live, text="N", votes_for=1)
    if key == "conclusion":
        return m.Conclusion.objects.create(
            meeting=live, preparation_evaluation="A", quality_evaluation="B", adopted="C", quality_score=90
        )
    if key == "directed_topic":
        return m.DirectedTopic.objects.create(
            committee=world.superior, year=2026, title="Chuyên đề cấp trên", group=m.TopicGroup.objects.first()
        )
    return o[key]


@pytest.mark.parametrize("case", DB_LIMITS, ids=lambda c: f"{c[1].__name__}.{c[2]}")
def test_the_database_refuses_an_over_long_text_written_directly(world, case):
    key, model, name, limit = case
    row = _row(world, key)
    model.objects.filter(pk=row.pk).update(**{name: "x" * limit})  # at the limit: accepted
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{name: "x" * (limit + 1)})
    assert len(getattr(model.objects.get(pk=row.pk), name)) == limit


def test_speeches_of_one_meeting_are_bounded_together_so_the_minutes_stay_renderable(world):
    live = world.objects["live_meeting"]
    add = functools.partial(
        meeting_run.speech_add,
        meeting=live,
        actor=world.users["secretary"],
        version=None,
        speaker=world.objects["member"],
        guest=None,
    )
    m.Speech.objects.filter(meeting=live).delete()
    per = limits.SPEECH_MAX_LENGTH
    for _ in range(limits.SPEECHES_TOTAL_MAX_LENGTH // per):
        add(content=text(per))
    add(content=text(limits.SPEECHES_TOTAL_MAX_LENGTH % per))  # exactly at the total: accepted
    before = m.Speech.objects.filter(meeting=live).count()
    with pytest.raises(ValidationError) as caught:
        add(content=text(1))
    assert "tối đa 150.000 ký tự" in " ".join(caught.value.message_dict["content"])
    assert m.Speech.objects.filter(meeting=live).count() == before
    # Replacing a speech by one of the same length stays within the total.
    speech = m.Speech.objects.filter(meeting=live).first()
    meeting_run.speech_update(
        meeting=live,
        actor=world.users["secretary"],
        version=None,
        speech_id=speech.pk,
        speaker=world.objects["member"],
        guest=None,
        content=text(per),
    )
