"""The cell's yearly plan: create it, add planned thematic meetings, submit it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from meetings import workflow
from meetings.forms import PlanCreateForm, PlanMeetingForm
from meetings.periods import quarter_of
from meetings.permissions import MANAGE, PREPARE, READ, access_for, cell_for_user, plan_for_user, require_level
from meetings.selectors.plans import plan_quarters, plans_for_cell
from meetings.services import plans as plan_services
from meetings.services.topics import directed_topics_for_cell
from meetings.views._common import apply_errors, flash_errors


def _own_cell(request):
    access = access_for(request.user)
    if not access.cell_id:
        raise Http404("Tài khoản của đồng chí không sinh hoạt tại chi bộ nào.")
    return cell_for_user(request.user, access.cell_id, level=READ)


@login_required
def plan_index(request):
    cell = _own_cell(request)
    access = access_for(request.user)
    form = PlanCreateForm(initial={"year": timezone.localdate().year})
    if request.method == "POST":
        require_level(request.user, PREPARE, cell.pk)
        form = PlanCreateForm(request.POST)
        if form.is_valid():
            try:
                plan = plan_services.plan_create(
                    cell=cell, year=form.cleaned_data["year"], actor=request.user, note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Đã lập kế hoạch năm {plan.year}. Hãy thêm các chuyên đề theo quý.")
                return redirect("plans:detail", pk=plan.pk)
    return render(
        request,
        "meetings/plans/index.html",
        {
            "cell": cell,
            "plans": plans_for_cell(cell_id=cell.pk),
            "form": form,
            "can_prepare": access.can(PREPARE, cell.pk),
        },
    )


def _plan_context(request, plan, form=None):
    access = access_for(request.user)
    directed = directed_topics_for_cell(plan.cell, plan.year)
    if form is None:
        today = timezone.localdate()
        initial = {"quarter": quarter_of(today) if today.year == plan.year else 1}
        form = PlanMeetingForm(cell=plan.cell, year=plan.year, directed_topics=directed, initial=initial)
    return {
        "plan": plan,
        "cell": plan.cell,
        "quarters": plan_quarters(plan=plan),
        "form": form,
        "directed_topics": directed,
        "can_prepare": access.can(PREPARE, plan.cell_id),
        "can_manage": access.can(MANAGE, plan.cell_id),
        # Each meeting says where it goes next, by the name of its meeting page's button.
        "next_steps": [
            (stage, workflow.transition_label(stage, workflow.next_stage(stage)))
            for stage in workflow.ORDER
            if workflow.next_stage(stage)
        ],
    }


@login_required
def plan_detail(request, pk):
    plan = plan_for_user(request.user, pk)
    form = None
    if request.method == "POST":
        require_level(request.user, PREPARE, plan.cell_id)
        form = PlanMeetingForm(
            request.POST, cell=plan.cell, year=plan.year, directed_topics=directed_topics_for_cell(plan.cell, plan.year)
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = plan_services.plan_add_meeting(
                    plan=plan,
                    actor=request.user,
                    quarter=data["quarter"],
                    planned_month=data["planned_month"],
                    responsible=data["responsible"],
                    title=data["title"],
                    group=data["group"],
                    directed_topic=data["directed_topic"],
                    description=data["description"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    format_html(
                        'Đã thêm chuyên đề “{}” vào quý {}. Bước tiếp theo: <a class="alert-link" href="{}">{}</a>.',
                        meeting.topic.title,
                        meeting.quarter,
                        reverse("meetings:detail", args=[meeting.pk]) + "#buoc-tiep-theo",
                        workflow.TRANSITION_LABELS[workflow.Stage.PREPARING].lower(),
                    ),
                )
                return redirect("plans:detail", pk=plan.pk)
    return render(request, "meetings/plans/detail.html", _plan_context(request, plan, form))


@login_required
@require_POST
def plan_submit(request, pk):
    plan = plan_for_user(request.user, pk, level=MANAGE)
    try:
        plan_services.plan_submit(plan=plan, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, "Đã gửi kế hoạch lên cấp ủy cấp trên.")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_reopen(request, pk):
    plan = plan_for_user(request.user, pk, level=MANAGE)
    try:
        plan_services.plan_reopen(plan=plan, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.info(request, "Kế hoạch đã trở lại dạng dự thảo; hãy gửi lại sau khi điều chỉnh.")
    return redirect("plans:detail", pk=plan.pk)
