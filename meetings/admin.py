from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect

from meetings import models as m
from meetings.services.meetings import meeting_schedule
from meetings.services.members import member_create, member_transfer, member_update
from meetings.services.organizations import organization_check_place, organization_delete, organization_save
from meetings.workflow import SCHEDULE_EDITABLE, Stage

MEETING_DELETE_REFUSED = (
    "{}: không xóa buổi sinh hoạt trong trang quản trị (phải giữ lịch sử); "
    "hãy hủy buổi sinh hoạt trên trang của chi bộ."
)


def meeting_of(obj):
    """The meeting a record hangs from (itself for a meeting), or None."""
    if obj is None:
        return None
    if isinstance(obj, m.Meeting):
        return obj
    if isinstance(obj, m.Report):
        return obj.minutes.meeting
    return getattr(obj, "meeting", None)


class FinalizedReadOnlyMixin:
    """A finalised meeting and everything hanging from it is shown, never changed, added or
    deleted here: the database refuses it anyway, so no form is offered that would fail."""

    def _finalized(self, obj):
        meeting = meeting_of(obj)
        return meeting is not None and meeting.stage == Stage.FINALIZED

    def has_change_permission(self, request, obj=None):
        return not self._finalized(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._finalized(obj) and super().has_delete_permission(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by the services (the meeting pages, finalisation, reports): shown here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceErrorsMixin:
    """A service's refusal (ValidationError from save_model) is shown as an error on the page
    instead of a 500; the admin's transaction is rolled back, so nothing is saved."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class KeepHistoryMixin:
    """Deleting what has history is refused: the delete page lists the reasons (as Django
    lists protected objects) and deletes nothing, for one object or the bulk action."""

    def delete_refusals(self, objs) -> list[str]:
        raise NotImplementedError

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed, [*protected, *self.delete_refusals(objs)]


@admin.register(m.User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("chibo", {"fields": ("full_name", "committee")}))
    list_display = ("username", "full_name", "email", "committee", "is_staff", "is_superuser")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ("committee",)


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = m.Organization
        fields = (
            "name",
            "short_name",
            "kind",
            "parent",
            "committee_name",
            "standing_committee_name",
            "term_started_on",
            "email",
            "place",
            "phone",
            "is_active",
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind", self.instance.kind)
        if kind:
            try:
                organization_check_place(kind=kind, parent=data.get("parent"), organization=self.instance)
            except ValidationError as exc:
                self.add_error("parent", exc)
        return data


@admin.register(m.Organization)
class OrganizationAdmin(ServiceErrorsMixin, KeepHistoryMixin, admin.ModelAdmin):
    """Saves, moves and deletes through the services, which keep the tree's paths, the
    cell counts and the ancestors' rollups."""

    form = OrganizationForm
    list_display = ("name", "kind", "parent", "depth", "email")
    list_filter = ("kind", "depth", "is_active")
    search_fields = ("name", "short_name", "path")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth", "subtree_cells")

    def get_readonly_fields(self, request, obj=None):
        # A cell that became a committee would break the counts: the kind is set once.
        return (*self.readonly_fields, "kind") if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        organization_save(organization=obj)

    def delete_model(self, request, obj):
        organization_delete(organization=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # admin actions run outside a transaction: all or nothing
            for organization in queryset:
                organization_delete(organization=organization)

    def delete_refusals(self, objs):
        children = Counter(m.Organization.objects.filter(parent__in=objs).values_list("parent_id", flat=True))
        return [
            f"{org}: còn {children[org.pk]} tổ chức trực thuộc; hãy chuyển hoặc xóa chúng trước."
            for org in objs
            if children[org.pk]
        ]


@admin.register(m.Member)
class MemberAdmin(ServiceErrorsMixin, KeepHistoryMixin, admin.ModelAdmin):
    """Created and edited through the members service; a change of cell is a transfer that
    closes the old membership row and opens the new one. A member is never deleted here."""

    list_display = ("full_name", "cell", "position", "status", "card_number", "full_member_on")
    list_filter = ("position", "status", "gender")
    search_fields = ("full_name", "search_name", "card_number", "email", "phone")
    autocomplete_fields = ("cell", "party_group", "user")
    list_select_related = ("cell",)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            fields = {k: v for k, v in data.items() if k not in ("cell", "full_name")}
            created = member_create(cell=data["cell"], full_name=data["full_name"], **fields)
            obj.pk, obj._state.adding = created.pk, False
            return
        new_cell = obj.cell
        moved = "cell" in form.changed_data
        if moved:
            obj.cell_id = form.initial["cell"]  # other fields first, then the transfer
        member_update(member=obj)
        if moved:
            member_transfer(member=obj, to_cell=new_cell, note="Chuyển qua trang quản trị")

    def delete_refusals(self, objs):
        return [f"{member}: có lịch sử sinh hoạt; không xóa, hãy ghi trạng thái “đã chuyển đi”." for member in objs]


@admin.register(m.MembershipHistory)
class MembershipHistoryAdmin(ReadOnlyAdmin):
    """Written by the members service when a member is created or transferred."""

    list_display = ("member", "cell", "started_on", "ended_on")
    search_fields = ("member__full_name", "cell__name")
    list_filter = ("ended_on",)


@admin.register(m.TopicGroup)
class TopicGroupAdmin(admin.ModelAdmin):
    list_display = ("number", "name")
    search_fields = ("name",)
    list_filter = ("number",)


@admin.register(m.DirectedTopic)
class DirectedTopicAdmin(admin.ModelAdmin):
    list_display = ("title", "committee", "year", "group")
    list_filter = ("year", "group")
    search_fields = ("title", "committee__name")
    autocomplete_fields = ("committee",)


class ContributionInline(admin.TabularInline):
    model = m.Contribution
    extra = 0
    autocomplete_fields = ("member",)


@admin.register(m.Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "cell", "year", "group", "lead_paper_status")
    list_filter = ("year", "group", "lead_paper_status")
    search_fields = ("title", "search_text", "cell__name")
    autocomplete_fields = ("cell", "lead_author", "directed_topic")
    inlines = [ContributionInline]


@admin.register(m.Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ("subject", "member", "topic", "due_on", "submitted_at")
    list_filter = ("due_on",)
    search_fields = ("subject", "member__full_name", "topic__title")
    autocomplete_fields = ("member", "topic")


@admin.register(m.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("cell", "year", "number", "status", "submitted_at")
    list_filter = ("year", "status")
    search_fields = ("cell__name",)
    autocomplete_fields = ("cell",)
    readonly_fields = ("number",)  # given from the cell's register on submission


class AttendanceInline(ReadOnlyInline):
    model = m.Attendance


class SpeechInline(ReadOnlyInline):
    model = m.Speech


SCHEDULE_FIELDS = (
    "scheduled_date",
    "start_time",
    "place",
    "chair",
    "clerk",
    "combined_with_regular",
    "combined_order",
)


@admin.register(m.Meeting)
class MeetingAdmin(ServiceErrorsMixin, KeepHistoryMixin, FinalizedReadOnlyMixin, admin.ModelAdmin):
    """Only the schedule may change here, through meeting_schedule (checks, version,
    reminders, figures) and only while the workflow allows it; the stage moves on the
    meeting's pages only. Meetings are made from the plan and never deleted here."""

    list_display = ("__str__", "cell", "kind", "stage", "scheduled_date", "year", "quarter")
    list_filter = ("kind", "stage", "year", "quarter")
    search_fields = ("topic__title", "cell__name", "place")
    autocomplete_fields = ("chair", "clerk")
    inlines = [AttendanceInline, SpeechInline]
    list_select_related = ("cell", "topic")

    def get_readonly_fields(self, request, obj=None):
        fields = [f.name for f in self.model._meta.concrete_fields if f.name != "id"]
        if obj is not None and obj.stage in SCHEDULE_EDITABLE:
            return [name for name in fields if name not in SCHEDULE_FIELDS]
        return fields

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if not set(form.changed_data) & set(SCHEDULE_FIELDS):
            return
        data = form.cleaned_data
        meeting_schedule(
            meeting=obj,
            actor=request.user,
            version=None,
            **{name: data[name] for name in SCHEDULE_FIELDS},
        )

    def delete_refusals(self, objs):
        return [MEETING_DELETE_REFUSED.format(meeting) for meeting in objs]


@admin.register(m.Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ("__str__", "cell", "year", "number", "finalized_at", "verification_code")
    list_filter = ("year",)
    search_fields = ("cell__name", "verification_code", "pdf_sha256")
    readonly_fields = ("snapshot", "pdf_sha256", "verification_code")

    def has_add_permission(self, request):
        # Made by the finalisation service only: a hand-made one would count in the figures.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.MinutesAddendum)
class MinutesAddendumAdmin(admin.ModelAdmin):
    """Sealed like the minutes: created only by the service (PDF, report, e-mail), never edited."""

    list_display = ("minutes", "version", "created_at", "created_by")
    list_filter = ("created_at",)
    search_fields = ("minutes__cell__name", "text", "pdf_sha256")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Report)
class ReportAdmin(ReadOnlyAdmin):
    """A report hangs from finalised minutes: submitted and answered on the pages only."""

    list_display = ("minutes", "committee", "version", "status", "received_at")
    list_filter = ("status",)
    search_fields = ("minutes__cell__name", "committee__name")


@admin.register(m.ComplianceSummary)
class ComplianceSummaryAdmin(admin.ModelAdmin):
    """Computed by the compliance service from the meetings: shown, never edited here."""

    list_display = ("cell", "year", "quarter", "finalized_count", "attendance_rate", "best_grade")
    list_filter = ("year", "quarter")
    search_fields = ("cell__name",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DocumentSeriesForm(forms.ModelForm):
    class Meta:
        model = m.DocumentSeries
        fields = ("first_number",)

    def clean_first_number(self):
        value = self.cleaned_data["first_number"]
        if value != self.instance.first_number and self.instance.issued.exists():
            raise ValidationError("Đã cấp số trong sổ này; không thể đổi số bắt đầu.")
        return value


@admin.register(m.DocumentSeries)
class DocumentSeriesAdmin(admin.ModelAdmin):
    """A series is created when its first number is issued (or set by the cell); here only
    its first number may change, and only while nothing was issued."""

    form = DocumentSeriesForm
    list_display = ("cell", "kind", "term_started_on", "first_number")
    list_filter = ("kind",)
    search_fields = ("cell__name",)
    readonly_fields = ("cell", "kind", "term_started_on")
    list_select_related = ("cell",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.IssuedNumber)
class IssuedNumberAdmin(admin.ModelAdmin):
    """The register of outgoing documents: written by the services only, never edited."""

    list_display = ("__str__", "title", "series", "issued_at", "issued_by")
    list_filter = ("series__kind",)
    search_fields = ("series__cell__name", "title")
    list_select_related = ("series__cell", "issued_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("kind", "recipient_email", "status", "due_at", "attempts", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("recipient_email", "recipient_name", "key")


class MeetingRecordAdmin(ReadOnlyAdmin):
    """Attendance, speeches, steps, conclusion, resolution, guests, replies and reservations
    are written on the meeting's pages through meeting_run's services (version, checks,
    figures); here they are shown only, and a finalised meeting's are sealed anyway."""

    search_fields = ["meeting__topic__title"]
    list_select_related = ("meeting",)


@admin.register(m.Attendance)
class AttendanceAdmin(MeetingRecordAdmin):
    list_display = ("member", "meeting", "status")


for model in (
    m.Conclusion,
    m.Guest,
    m.AttendanceReply,
    m.Speech,
    m.Resolution,
    m.MeetingStep,
    m.MinutesReservation,
):
    admin.site.register(model, MeetingRecordAdmin)


@admin.register(m.Activity)
class ActivityAdmin(ReadOnlyAdmin):
    search_fields = ["action"]
