from django.urls import path

from certificates import views

app_name = "certificates"
urlpatterns = [
    path("verify/<str:code>/", views.verify, name="verify"),
    path("trajectory/<int:pk>/", views.trajectory_certificates, name="trajectory"),
    path("trajectory/<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/pdf/", views.download, name="download"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("progress-sheet/<int:pk>/", views.progress_sheet, name="progress_sheet"),
    path("batch/", views.batch_new, name="batch_new"),
    path("batch/<int:pk>/", views.batch, name="batch"),
    path("batch/<int:pk>/pdf/", views.batch_pdf, name="batch_pdf"),
    path("batch/<int:pk>/retry/", views.batch_retry, name="batch_retry"),
]
