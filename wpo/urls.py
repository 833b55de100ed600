from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from wpo import passwords, people_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path(
        "accounts/password-reset/",
        passwords.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("health/", views.health, name="health"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("privacy/", views.privacy, name="privacy"),
    path("language/", set_language, name="set_language"),
    path("people/", people_views.people_list, name="people"),
    path("people/new/", people_views.person_new, name="person_new"),
    path("people/import/", people_views.people_import, name="people_import"),
    path("people/<int:pk>/roles/", people_views.person_roles, name="person_roles"),
    path("admin/", admin.site.urls),
    path("catalogue/", include("assignments.urls")),
    path("certificates/", include("certificates.urls")),
    path("", include("trajects.urls")),
]

handler500 = "wpo.views.server_error"
