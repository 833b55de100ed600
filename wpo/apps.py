from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WpoConfig(AppConfig):
    name = "wpo"
    verbose_name = _("Organisation")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from wpo import audit  # noqa: F401  (its receivers log logins)
        from wpo.middleware import at_login

        user_logged_in.connect(at_login)
