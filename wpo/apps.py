from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WpoConfig(AppConfig):
    name = "wpo"
    verbose_name = _("Organisation")
