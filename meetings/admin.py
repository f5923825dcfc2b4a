from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction

from meetings import models as m
from meetings.services.compliance import compliance_refresh
from meetings.services.organizations import organization_check_place, organization_delete, organization_save


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
class OrganizationAdmin(admin.ModelAdmin):
    """Saves, moves and deletes through the services, which keep the tree's paths, the
    cell counts and the ancestors' rollups."""

    form = OrganizationForm
    list_display = ("name", "kind", "parent", "depth", "email")
    list_filter = ("kind", "depth", "is_active")
    search_fields = ("name", "short_name", "path")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")

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


@admin.register(m.Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("full_name", "cell", "position", "status", "card_number", "full_member_on")
    list_filter = ("position", "status", "gender")
    search_fields = ("full_name", "search_name", "card_number", "email", "phone")
    autocomplete_fields = ("cell", "party_group", "user")
    list_select_related = ("cell",)


@admin.register(m.MembershipHistory)
class MembershipHistoryAdmin(admin.ModelAdmin):
    list_display = ("member", "cell", "started_on", "ended_on")
    search_fields = ("member__full_name", "cell__name")
    list_filter = ("ended_on",)
    autocomplete_fields = ("member", "cell")


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


class RefreshComplianceMixin:
    """Admin edits of what the quarterly figures count refresh, through the compliance
    service, the figures of every cell and quarter the change touched (before and after)."""

    def meetings_of(self, objs) -> list:
        raise NotImplementedError

    def _periods(self, objs) -> set[tuple[int, int, int]]:
        return {(meeting.cell_id, meeting.year, meeting.quarter) for meeting in self.meetings_of(objs)}

    def _refresh(self, periods) -> None:
        cells = m.Organization.objects.in_bulk({cell_id for cell_id, _, _ in periods})
        for cell_id, year, quarter in sorted(periods):
            compliance_refresh(cell=cells[cell_id], year=year, quarter=quarter)

    def save_model(self, request, obj, form, change):
        stored = type(obj).objects.filter(pk=obj.pk).first() if change else None
        # Kept on the form (one per request), not on this admin (shared by all requests).
        form.periods_before = self._periods([stored]) if stored is not None else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # inlines first: attendance counts
        self._refresh(getattr(form, "periods_before", set()) | self._periods([form.instance]))

    def delete_model(self, request, obj):
        periods = self._periods([obj])
        super().delete_model(request, obj)
        self._refresh(periods)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            periods = self._periods(queryset)
            super().delete_queryset(request, queryset)
            self._refresh(periods)


class FinalizedReadOnlyMixin:
    """Finalised meetings and their records are read-only in the admin too (the database
    refuses the change anyway; this avoids offering a form that cannot be saved)."""

    def _finalized(self, obj):
        meeting = getattr(obj, "meeting", obj) if obj is not None else None
        return meeting is not None and getattr(meeting, "stage", None) == "finalized"

    def has_change_permission(self, request, obj=None):
        return not self._finalized(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._finalized(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if self._finalized(obj):
            return False
        return super().has_add_permission(request, obj) if obj is not None else super().has_add_permission(request)


class AttendanceInline(FinalizedReadOnlyMixin, admin.TabularInline):
    model = m.Attendance
    extra = 0
    autocomplete_fields = ("member",)


class SpeechInline(FinalizedReadOnlyMixin, admin.TabularInline):
    model = m.Speech
    extra = 0
    autocomplete_fields = ("speaker",)


@admin.register(m.Meeting)
class MeetingAdmin(RefreshComplianceMixin, FinalizedReadOnlyMixin, admin.ModelAdmin):
    list_display = ("__str__", "cell", "kind", "stage", "scheduled_date", "year", "quarter")
    list_filter = ("kind", "stage", "year", "quarter")
    search_fields = ("topic__title", "cell__name", "place")
    autocomplete_fields = ("cell", "topic", "chair", "clerk", "responsible", "plan")
    inlines = [AttendanceInline, SpeechInline]
    list_select_related = ("cell", "topic")
    readonly_fields = ("notice_number",)  # given from the cell's register when the notice is sent

    def meetings_of(self, objs):
        return list(objs)


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
class ReportAdmin(RefreshComplianceMixin, admin.ModelAdmin):
    list_display = ("minutes", "committee", "version", "status", "received_at")
    list_filter = ("status",)
    search_fields = ("minutes__cell__name", "committee__name")

    def meetings_of(self, objs):
        return list(m.Meeting.objects.filter(minutes__reports__in=[r.pk for r in objs]).distinct())


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


class MeetingRecordAdmin(RefreshComplianceMixin, FinalizedReadOnlyMixin, admin.ModelAdmin):
    """Attendance and the conclusion feed the figures (rate, grade): edits refresh them."""

    search_fields = ["meeting__topic__title"]
    autocomplete_fields = ("meeting",)

    def meetings_of(self, objs):
        return list(m.Meeting.objects.filter(pk__in=[obj.meeting_id for obj in objs]))


@admin.register(m.Attendance)
class AttendanceAdmin(MeetingRecordAdmin):
    list_display = ("member", "meeting", "status")
    autocomplete_fields = ("meeting", "member")


admin.site.register(m.Conclusion, MeetingRecordAdmin)

for model in (
    m.Guest,
    m.AttendanceReply,
    m.Speech,
    m.Resolution,
    m.MeetingStep,
    m.MinutesReservation,
    m.Activity,
):
    admin.site.register(model, search_fields=["meeting__topic__title"] if model is not m.Activity else ["action"])

