from django.urls import path

from trajects import views

app_name = "trajects"
urlpatterns = [
    path("trainer/", views.trainer_home, name="trainer_home"),
    path("coach/", views.coach_home, name="coach_home"),
    path("organisation/", views.organisation, name="organisation"),
    path("trajectories/<int:pk>/", views.trajectory_detail, name="trajectory"),
]
