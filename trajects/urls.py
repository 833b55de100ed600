from django.urls import path

from trajects import calendar
from trajects.views import coach, coaching, organisation, participant, privacy, trainer

app_name = "trajects"
urlpatterns = [
    path("trainer/", trainer.trainer_home, name="trainer_home"),
    path("trainer/calendar/", calendar.subscribe, name="calendar"),
    path("trainer/calendar/new-link/", calendar.renew, name="calendar_renew"),
    path("calendar/<str:token>.ics", calendar.feed, name="calendar_feed"),
    # the participant's own pages: the personal link opens them, without a login
    path("p/<str:token>/", participant.open_link, name="participant_open"),
    path("mijn/", participant.mine, name="mine"),
    path("mijn/opdracht/<int:pk>/", participant.assignment, name="mine_assignment"),
    path("mijn/opdracht/<int:pk>/vraag/<int:number>/", participant.answer, name="mine_answer"),
    path("mijn/opdracht/<int:pk>/hoe-ging-het/", participant.look_back, name="mine_look_back"),
    path("mijn/schrijven/<slug:kind>/", participant.write_own, name="mine_write"),
    path("mijn/gesprekken/<int:pk>/besproken/", participant.confirm, name="mine_confirm"),
    path("mijn/klaar/", participant.done, name="mine_done"),
    path("coach/", coach.coach_home, name="coach_home"),
    path("coach/participants.<slug:fmt>", coach.coach_export, name="coach_export"),
    path("organisation/", organisation.organisation, name="organisation"),
    path("organisation/unit/<int:pk>/", organisation.organisation_unit, name="organisation_unit"),
    path("organisation/export/", organisation.organisation_export, name="organisation_export"),
    path("organisation/report.pdf", organisation.organisation_pdf, name="organisation_pdf"),
    path(
        "organisation/report/<int:pk>/",
        organisation.organisation_report,
        name="organisation_report",
    ),
    path(
        "organisation/report/<int:pk>/pdf/",
        organisation.organisation_report_pdf,
        name="organisation_report_pdf",
    ),
    path("interests/new/", trainer.interest_new, name="interest_new"),
    path("interests/<int:pk>/start/", trainer.trajectory_start, name="trajectory_start"),
    path("trajectories/<int:pk>/", trainer.trajectory_detail, name="trajectory"),
    path("people/<int:pk>/personal-data/", privacy.personal_data, name="personal_data"),
    path("trajectories/<int:pk>/history/", trainer.trajectory_history, name="history"),
    path(
        "trajectories/<int:pk>/personal-link/",
        participant.make_link,
        name="participant_link",
    ),
    path(
        "trajectories/<int:pk>/personal-link/card/",
        participant.card,
        name="participant_card",
    ),
    path("trajectories/<int:pk>/skills/", trainer.choose_skills, name="choose_skills"),
    path("trajectories/<int:pk>/notes/", trainer.add_note, name="add_note"),
    path(
        "trajectories/<int:pk>/conversations/plan/",
        trainer.plan_conversation,
        name="plan_conversation",
    ),
    path(
        "trajectories/<int:pk>/conversations/",
        trainer.hold_conversation,
        name="hold_conversation",
    ),
    path(
        "trajectories/<int:pk>/steps/<slug:step>/",
        trainer.trajectory_step,
        name="trajectory_step",
    ),
    path("chosen-skills/<int:pk>/introduce/", trainer.introduce_assignment, name="introduce"),
    path("chosen-skills/<int:pk>/assess/", trainer.assess_skill, name="assess"),
    path("progress/<int:pk>/", trainer.progress_detail, name="progress"),
    path("progress/<int:pk>/get-started/", trainer.get_started, name="get_started"),
    path("progress/<int:pk>/look-back/", trainer.look_back, name="look_back"),
    path("conversations/<int:pk>/edit/", trainer.edit_conversation, name="edit_conversation"),
    path(
        "conversations/<int:pk>/planned/",
        trainer.planned_conversation,
        name="planned_conversation",
    ),
    path(
        "conversations/<int:pk>/confirm/",
        trainer.confirm_conversation,
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
