from django.urls import path

from trajects import calendar, coaching, report_views, views

app_name = "trajects"
urlpatterns = [
    path("trainer/", views.trainer_home, name="trainer_home"),
    path("trainer/calendar/", calendar.subscribe, name="calendar"),
    path("trainer/calendar/new-link/", calendar.renew, name="calendar_renew"),
    path("calendar/<str:token>.ics", calendar.feed, name="calendar_feed"),
    path("coach/", views.coach_home, name="coach_home"),
    path("coach/participants.<slug:fmt>", views.coach_export, name="coach_export"),
    path("organisation/", report_views.organisation, name="organisation"),
    path("organisation/export/", report_views.organisation_export, name="organisation_export"),
    path("organisation/report.pdf", report_views.organisation_pdf, name="organisation_pdf"),
    path("interests/new/", views.interest_new, name="interest_new"),
    path("interests/<int:pk>/start/", views.trajectory_start, name="trajectory_start"),
    path("trajectories/<int:pk>/", views.trajectory_detail, name="trajectory"),
    path("people/<int:pk>/personal-data/", views.personal_data, name="personal_data"),
    path("trajectories/<int:pk>/history/", views.trajectory_history, name="history"),
    path("trajectories/<int:pk>/skills/", views.choose_skills, name="choose_skills"),
    path("trajectories/<int:pk>/notes/", views.add_note, name="add_note"),
    path(
        "trajectories/<int:pk>/conversations/plan/",
        views.plan_conversation,
        name="plan_conversation",
    ),
    path(
        "trajectories/<int:pk>/conversations/",
        views.hold_conversation,
        name="hold_conversation",
    ),
    path(
        "trajectories/<int:pk>/steps/<slug:step>/",
        views.trajectory_step,
        name="trajectory_step",
    ),
    path("chosen-skills/<int:pk>/introduce/", views.introduce_assignment, name="introduce"),
    path("chosen-skills/<int:pk>/assess/", views.assess_skill, name="assess"),
    path("progress/<int:pk>/", views.progress_detail, name="progress"),
    path("progress/<int:pk>/get-started/", views.get_started, name="get_started"),
    path("progress/<int:pk>/look-back/", views.look_back, name="look_back"),
    path("conversations/<int:pk>/edit/", views.edit_conversation, name="edit_conversation"),
    path(
        "conversations/<int:pk>/planned/",
        views.planned_conversation,
        name="planned_conversation",
    ),
    path(
        "conversations/<int:pk>/confirm/",
        views.confirm_conversation,
        name="confirm_conversation",
    ),
    path("meetings/", coaching.meetings, name="meetings"),
    path("meetings/plan/<slug:kind>/", coaching.meeting_plan, name="meeting_plan"),
    path("meetings/<int:pk>/", coaching.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", coaching.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/record/", coaching.meeting_record, name="meeting_record"),
    path("escalations/", coaching.escalations, name="escalations"),
    path("escalations/new/", coaching.escalation_new, name="escalation_new"),
    path("escalations/<int:pk>/", coaching.escalation_detail, name="escalation"),
    path("escalations/<int:pk>/answer/", coaching.escalation_answer, name="escalation_answer"),
]
