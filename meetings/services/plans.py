"""The cell's yearly plan of thematic meetings and its submission to the superior committee."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.models import (
    NOTE_MAX_LENGTH,
    DirectedTopic,
    DocumentKind,
    Meeting,
    MeetingKind,
    Member,
    Organization,
    OrgKind,
    Plan,
    PlanStatus,
    TopicGroup,
)
from meetings.models.limits import require_length
from meetings.periods import quarter_of_month
from meetings.services.activity import activity_record
from meetings.services.compliance import compliance_refresh
from meetings.services.numbering import document_number_issue, signer_problem
from meetings.services.topics import member_of_cell, topic_create
from meetings.workflow import Stage


def plan_create(*, cell: Organization, year: int, actor, note: str = "") -> Plan:
    if cell.kind != OrgKind.CELL:
        raise ValidationError("Kế hoạch sinh hoạt chuyên đề phải thuộc một chi bộ.")
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": "Năm kế hoạch không hợp lệ."})
    note = (note or "").strip()
    require_length("note", note, NOTE_MAX_LENGTH)
    if Plan.objects.filter(cell=cell, year=year).exists():
        raise ValidationError({"year": f"Chi bộ đã có kế hoạch năm {year}."})
    try:
        with transaction.atomic():
            plan = Plan.objects.create(cell=cell, year=year, note=note)
            activity_record(cell=cell, actor=actor, action=f"Lập kế hoạch sinh hoạt chuyên đề năm {year}")
    except IntegrityError as exc:  # a concurrent creation won the race
        raise ValidationError({"year": f"Chi bộ đã có kế hoạch năm {year}."}) from exc
    return plan


def plan_get_or_create(*, cell: Organization, year: int, actor) -> Plan:
    plan = Plan.objects.filter(cell=cell, year=year).first()
    return plan or plan_create(cell=cell, year=year, actor=actor)


def plan_add_meeting(
    *,
    plan: Plan,
    actor,
    quarter: int,
    planned_month: int | None = None,
    responsible: Member | None = None,
    title: str = "",
    group: TopicGroup | None = None,
    directed_topic: DirectedTopic | None = None,
    description: str = "",
) -> Meeting:
    """One planned thematic meeting: a topic (directed from above or the cell's own) in a quarter."""
    errors = {}
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = "Quý phải từ 1 đến 4."
    elif planned_month is not None and quarter_of_month(planned_month) != quarter:
        errors["planned_month"] = f"Tháng {planned_month} không thuộc quý {quarter}."
    if errors:
        raise ValidationError(errors)
    if responsible is not None:
        member_of_cell(plan.cell, responsible, label="Người phụ trách")
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("cell").get(pk=plan.pk)
        topic = topic_create(
            cell=plan.cell,
            year=plan.year,
            actor=actor,
            title=title,
            group=group,
            directed_topic=directed_topic,
            description=description,
        )
        meeting = Meeting.objects.create(
            cell=plan.cell,
            kind=MeetingKind.THEMATIC,
            plan=plan,
            topic=topic,
            stage=Stage.PLANNED,
            year=plan.year,
            quarter=quarter,
            planned_month=planned_month,
            responsible=responsible,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        activity_record(
            cell=plan.cell,
            actor=actor,
            action=f"Thêm vào kế hoạch quý {quarter}/{plan.year}: “{topic.title}”",
            meeting=meeting,
            topic=topic,
        )
        compliance_refresh(cell=plan.cell, year=plan.year, quarter=quarter)
    return meeting


def plan_submit(*, plan: Plan, actor) -> Plan:
    """Report the plan to the directly superior committee (status and date recorded)."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("cell").get(pk=plan.pk)
        if plan.status == PlanStatus.SUBMITTED:
            raise ValidationError("Kế hoạch đã được gửi cấp ủy cấp trên.")
        if not plan.meetings.exclude(stage=Stage.CANCELLED).exists():
            raise ValidationError("Kế hoạch chưa có buổi sinh hoạt chuyên đề nào; hãy thêm ít nhất một chuyên đề.")
        no_signer = signer_problem(plan.cell, "kế hoạch")
        if no_signer:
            raise ValidationError(no_signer)
        fields = ["status", "submitted_at", "submitted_by", "updated_at"]
        if plan.number is None:  # reopened and submitted again: the plan keeps its number
            issued = document_number_issue(
                cell=plan.cell,
                kind=DocumentKind.PLAN,
                actor=actor,
                title=f"Kế hoạch sinh hoạt chuyên đề năm {plan.year}",
                on=timezone.localdate(),
            )
            plan.number = issued.number
            fields.append("number")
        plan.status = PlanStatus.SUBMITTED
        plan.submitted_at = timezone.now()
        plan.submitted_by = actor
        plan.save(update_fields=fields)
        activity_record(cell=plan.cell, actor=actor, action=f"Gửi kế hoạch năm {plan.year} lên cấp ủy cấp trên")
    return plan


def plan_reopen(*, plan: Plan, actor) -> Plan:
    """Back to draft to amend the plan; it must be submitted again."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("cell").get(pk=plan.pk)
        if plan.status != PlanStatus.SUBMITTED:
            raise ValidationError("Kế hoạch đang ở dạng dự thảo.")
        plan.status = PlanStatus.DRAFT
        plan.save(update_fields=["status", "updated_at"])
        activity_record(cell=plan.cell, actor=actor, action=f"Mở lại kế hoạch năm {plan.year} để điều chỉnh")
    return plan
