from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectsConfig(AppConfig):
    name = "trajects"
    verbose_name = _("Trajectories")

    def ready(self):
        # the receivers that let go of a kept month's figures when its rows change
        from trajects.reports import months  # noqa: F401
