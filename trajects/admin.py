from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from trajects.models import (
    AssignmentProgress,
    Escalation,
    FloorNote,
    GuidanceConversation,
    Interest,
    Mail,
    Meeting,
    MeetingAttendance,
    Pause,
    PhaseChange,
    Trajectory,
    TrajectorySkill,
)
from wpo.admin import ReadOnlyAdmin

PARTICIPANT_SEARCH = ["participant__first_name", "participant__last_name"]
PARTICIPANT_SEARCH_VIA_TRAJECTORY = [f"trajectory__{field}" for field in PARTICIPANT_SEARCH]
ON_TRAJECTORY_PAGE = ("trajects:trajectory", "trajectory_id")


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["person", "department", "supervisor", "registered_on", "withdrawn_on"]
    list_filter = ["department", "registered_on"]
    search_fields = ["person__first_name", "person__last_name"]
    list_select_related = ["person", "department", "supervisor"]
    autocomplete_fields = ["person", "department", "supervisor"]
    date_hierarchy = "registered_on"


# A trajectory and what happens in it change only by the method's steps, on the participant's
# page: the admin reads them.
class TrajectorySkillInline(ReadOnlyAdmin, admin.TabularInline):
    model = TrajectorySkill
    extra = 0
    autocomplete_fields = ["assessed_by", "second_assessor"]


@admin.register(Trajectory)
class TrajectoryAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    app_page = ("trajects:trajectory", "pk")

    list_display = [
        "participant",
        "department",
        "trainer",
        "coach",
        "phase",
        "agreed_start",
        "agreed_end",
        "closed_on",
        "stopped_on",
    ]
    list_filter = ["phase", "department__business_unit", "department"]
    search_fields = PARTICIPANT_SEARCH
    list_select_related = ["participant", "department", "trainer", "coach"]
    autocomplete_fields = ["participant", "department", "trainer", "coach", "interest"]
    date_hierarchy = "agreed_start"
    inlines = [TrajectorySkillInline]


@admin.register(TrajectorySkill)
class TrajectorySkillAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    app_page = ON_TRAJECTORY_PAGE

    list_display = ["trajectory", "skill", "target_level", "achieved_level", "assessed_on"]
    list_filter = ["skill", "target_level", "achieved_level"]
    search_fields = PARTICIPANT_SEARCH_VIA_TRAJECTORY
    list_select_related = ["trajectory__participant", "skill"]
    autocomplete_fields = ["trajectory", "assessed_by", "second_assessor"]


@admin.register(AssignmentProgress)
class AssignmentProgressAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    app_page = ("trajects:progress", "pk")

    list_display = ["trajectory_skill", "assignment", "status", "introduced_on", "passed_on"]
    list_filter = ["status", "assignment__skill", "assignment__level"]
    search_fields = [
        "trajectory_skill__trajectory__participant__first_name",
        "trajectory_skill__trajectory__participant__last_name",
    ]
    list_select_related = [
        "trajectory_skill__trajectory__participant",
        "trajectory_skill__skill",
        "assignment__skill",
    ]
    autocomplete_fields = ["trajectory_skill", "assignment", "second_assessor"]


@admin.register(GuidanceConversation)
class GuidanceConversationAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    app_page = ON_TRAJECTORY_PAGE

    list_display = ["trajectory", "planned_at", "held_at", "outcome", "coach_present"]
    list_filter = ["outcome", "coach_present"]
    search_fields = PARTICIPANT_SEARCH_VIA_TRAJECTORY
    list_select_related = ["trajectory__participant"]
    autocomplete_fields = ["trajectory", "progress", "second_assessor", "author"]
    date_hierarchy = "planned_at"


@admin.register(FloorNote)
class FloorNoteAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    app_page = ON_TRAJECTORY_PAGE

    list_display = ["trajectory", "written_at", "text"]
    search_fields = [
        "text",
        "trajectory__participant__first_name",
        "trajectory__participant__last_name",
    ]
    list_select_related = ["trajectory__participant"]
    autocomplete_fields = ["trajectory", "progress", "author"]
    date_hierarchy = "written_at"


@admin.register(Pause)
class PauseAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    app_page = ON_TRAJECTORY_PAGE

    list_display = ["trajectory", "starts_on", "resume_on", "resumed_on"]
    search_fields = PARTICIPANT_SEARCH_VIA_TRAJECTORY
    list_select_related = ["trajectory__participant"]
    autocomplete_fields = ["trajectory", "by"]
    date_hierarchy = "starts_on"


@admin.register(PhaseChange)
class PhaseChangeAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    app_page = ON_TRAJECTORY_PAGE

    list_display = ["trajectory", "phase", "changed_on", "by"]
    list_filter = ["phase"]
    search_fields = PARTICIPANT_SEARCH_VIA_TRAJECTORY
    list_select_related = ["trajectory__participant", "by"]
    autocomplete_fields = ["trajectory", "by"]
    date_hierarchy = "changed_on"


class MeetingAttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["kind", "title", "scheduled_at", "organiser", "location"]
    list_filter = ["kind", "departments"]
    search_fields = ["title", "notes", "location"]
    list_select_related = ["organiser"]
    autocomplete_fields = ["organiser", "departments"]
    date_hierarchy = "scheduled_at"
    inlines = [MeetingAttendanceInline]


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ["subject", "department", "raised_by", "raised_at", "answered_at"]
    list_filter = ["department", "answered_at"]
    search_fields = ["subject", "description", "answer"]
    list_select_related = ["department", "raised_by"]
    autocomplete_fields = ["raised_by", "department", "trajectory", "answered_by"]


@admin.register(Mail)
class MailAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """What the app sent or is sending, to look into a complaint that an e-mail never came;
    the worker alone sends, and housekeeping clears them after a month."""

    list_display = ["created_at", "kind", "address", "subject", "attempts", "sent_at", "failed_at"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter), "failed_at"]
    search_fields = ["address", "subject"]
    date_hierarchy = "created_at"
    raw_id_fields = ["recipient", "sender", "meeting", "escalation"]
