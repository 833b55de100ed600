from django.urls import path

from trajects import views

app_name = "trajects"
urlpatterns = [
    path("trainer/", views.trainer_home, name="trainer_home"),
    path("coach/", views.coach_home, name="coach_home"),
    path("organisation/", views.organisation, name="organisation"),
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
]
