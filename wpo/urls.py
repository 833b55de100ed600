from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from wpo import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("health/", views.health, name="health"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("privacy/", views.privacy, name="privacy"),
    path("language/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("catalogue/", include("assignments.urls")),
    path("certificates/", include("certificates.urls")),
    path("", include("trajects.urls")),
]

handler500 = "wpo.views.server_error"
