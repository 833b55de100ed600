from django.urls import path

from assignments import views

app_name = "assignments"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
]
