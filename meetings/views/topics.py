"""Topic preparation: lead-paper author, lead paper, approval, contributions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from meetings.forms import CompletedTopicForm, ContributionAssignForm, LeadAuthorForm, LeadPaperForm, TopicEditForm
from meetings.models import Contribution
from meetings.permissions import MANAGE, PREPARE, access_for, require_level, topic_for_user
from meetings.selectors.plans import topic_page
from meetings.services import topics as topic_services
from meetings.views._common import apply_errors, flash_errors, posted_id
from meetings.workflow import Step

COMPLETE_REFUSED = "Chỉ người chuẩn bị đề dẫn, Bí thư hoặc Phó Bí thư Chi bộ mới được hoàn chỉnh chuyên đề."


def _forms(topic, bound: dict):
    cell_id = topic.cell_id
    return {
        "edit_form": bound.get("edit")
        or TopicEditForm(initial={"title": topic.title, "group": topic.group_id, "description": topic.description}),
        "author_form": bound.get("assign_author")
        or LeadAuthorForm(cell_id=cell_id, initial={"author": topic.lead_author_id, "due": topic.lead_paper_due}),
        "paper_form": bound.get("lead_paper") or LeadPaperForm(initial={"text": topic.lead_paper_text}),
        "contribution_form": bound.get("assign_contribution") or ContributionAssignForm(cell_id=cell_id),
        "completed_form": bound.get("completed") or CompletedTopicForm(initial={"text": topic.completed_text}),
    }


@login_required
def topic_detail(request, pk):
    topic = topic_for_user(request.user, pk)
    access = access_for(request.user)
    can_prepare = access.can(PREPARE, topic.cell_id)
    is_author = topic.lead_author_id is not None and topic.lead_author_id == access.member_id
    bound = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "lead_paper":
            if not (can_prepare or is_author):
                raise PermissionDenied("Chỉ người được phân công hoặc chi ủy mới được nộp đề dẫn.")
        elif action == "completed":
            if not (access.can(MANAGE, topic.cell_id) or is_author):
                raise PermissionDenied(COMPLETE_REFUSED)
        else:
            require_level(request.user, PREPARE, topic.cell_id)
        form, done = _handle(request, topic, action)
        if done:
            return redirect("topics:detail", pk=topic.pk)
        if form is not None:
            bound[action] = form
    page = topic_page(topic_id=topic.pk)
    locked = page.meeting is not None and page.meeting.stage in ("finalized", "cancelled")
    response_recorded = page.meeting is not None and page.meeting.steps.filter(step=Step.RESPONSE).exists()
    context = {
        "page": page,
        "topic": page.topic,
        "meeting": page.meeting,
        "can_prepare": can_prepare,
        "is_author": is_author,
        "locked": locked,
        "can_complete": (access.can(MANAGE, topic.cell_id) or is_author) and response_recorded and not locked,
        **_forms(page.topic, bound),
    }
    return render(request, "meetings/topics/detail.html", context)


def _handle(request, topic, action):
    """Returns (bound form or None, done)."""
    user = request.user
    form = None
    try:
        if action == "edit":
            form = TopicEditForm(request.POST)
            if not form.is_valid():
                return form, False
            topic_services.topic_update(topic=topic, actor=user, **form.cleaned_data)
            messages.success(request, "Đã cập nhật chuyên đề.")
        elif action == "assign_author":
            form = LeadAuthorForm(request.POST, cell_id=topic.cell_id)
            if not form.is_valid():
                return form, False
            topic_services.topic_assign_lead_author(
                topic=topic, actor=user, author=form.cleaned_data["author"], due=form.cleaned_data["due"]
            )
            messages.success(request, f"Đã phân công {form.cleaned_data['author']} chuẩn bị đề dẫn.")
        elif action == "lead_paper":
            form = LeadPaperForm(request.POST, request.FILES)
            if not form.is_valid():
                return form, False
            topic_services.topic_submit_lead_paper(
                topic=topic, actor=user, text=form.cleaned_data["text"], file=form.cleaned_data["file"]
            )
            messages.success(request, "Đã nộp đề dẫn; đề dẫn đang chờ chi ủy duyệt.")
        elif action == "completed":
            form = CompletedTopicForm(request.POST, request.FILES)
            if not form.is_valid():
                return form, False
            topic_services.topic_completed_save(
                topic=topic, actor=user, text=form.cleaned_data["text"], file=form.cleaned_data["file"]
            )
            messages.success(request, "Đã lưu chuyên đề hoàn chỉnh sau sinh hoạt.")
        elif action == "approve":
            topic_services.topic_approve_lead_paper(topic=topic, actor=user)
            messages.success(request, "Đã duyệt đề dẫn.")
        elif action == "return":
            topic_services.topic_return_lead_paper(topic=topic, actor=user, comment=request.POST.get("comment", ""))
            messages.info(request, "Đã trả lại đề dẫn để chỉnh sửa.")
        elif action == "assign_contribution":
            form = ContributionAssignForm(request.POST, cell_id=topic.cell_id)
            if not form.is_valid():
                return form, False
            topic_services.contribution_assign(topic=topic, actor=user, **form.cleaned_data)
            messages.success(request, f"Đã phân công {form.cleaned_data['member']} chuẩn bị tham luận.")
        elif action == "unassign":
            contribution = get_object_or_404(Contribution, topic=topic, pk=posted_id(request, "contribution"))
            topic_services.contribution_unassign(contribution=contribution, actor=user)
            messages.info(request, "Đã hủy phân công tham luận.")
        else:
            messages.error(request, "Thao tác không hợp lệ.")
            return None, True
    except ValidationError as exc:
        if form is not None:
            apply_errors(form, exc, field_map={"due": "due_on" if action == "assign_contribution" else "due"})
            return form, False
        flash_errors(request, exc)
        return None, False
    return None, True
