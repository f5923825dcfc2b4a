from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from meetings import models as m


@admin.register(m.User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("chibo", {"fields": ("full_name", "committee")}))
    list_display = ("username", "full_name", "email", "committee", "is_staff", "is_superuser")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ("committee",)


@admin.register(m.Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "depth", "email")
    list_filter = ("kind", "depth", "is_active")
    search_fields = ("name", "short_name", "path")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")


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
    list_display = ("cell", "year", "status", "submitted_at")
    list_filter = ("year", "status")
    search_fields = ("cell__name",)
    autocomplete_fields = ("cell",)


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
class MeetingAdmin(FinalizedReadOnlyMixin, admin.ModelAdmin):
    list_display = ("__str__", "cell", "kind", "stage", "scheduled_date", "year", "quarter")
    list_filter = ("kind", "stage", "year", "quarter")
    search_fields = ("topic__title", "cell__name", "place")
    autocomplete_fields = ("cell", "topic", "chair", "clerk", "responsible", "plan")
    inlines = [AttendanceInline, SpeechInline]
    list_select_related = ("cell", "topic")


@admin.register(m.Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ("__str__", "cell", "year", "number", "finalized_at", "verification_code")
    list_filter = ("year",)
    search_fields = ("cell__name", "verification_code", "pdf_sha256")
    readonly_fields = ("snapshot", "pdf_sha256", "verification_code")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.MinutesAddendum)
class MinutesAddendumAdmin(admin.ModelAdmin):
    list_display = ("minutes", "version", "created_at", "created_by")
    list_filter = ("created_at",)
    search_fields = ("minutes__cell__name", "text")


@admin.register(m.Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("minutes", "committee", "version", "status", "received_at")
    list_filter = ("status",)
    search_fields = ("minutes__cell__name", "committee__name")


@admin.register(m.ComplianceSummary)
class ComplianceSummaryAdmin(admin.ModelAdmin):
    list_display = ("cell", "year", "quarter", "finalized_count", "attendance_rate", "best_grade")
    list_filter = ("year", "quarter")
    search_fields = ("cell__name",)


@admin.register(m.Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("kind", "recipient_email", "status", "due_at", "attempts", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("recipient_email", "recipient_name", "key")


for model in (
    m.Guest,
    m.Attendance,
    m.AttendanceReply,
    m.Speech,
    m.Conclusion,
    m.Resolution,
    m.MeetingStep,
    m.Activity,
):
    admin.site.register(model, search_fields=["meeting__topic__title"] if model is not m.Activity else ["action"])

admin.site.site_header = "Quản trị chibo"
admin.site.site_title = "chibo"
