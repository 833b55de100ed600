from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        # their receivers add certificates to what trajectories ask for: the data rights and
        # the project manager's figures
        from certificates import figures, privacy  # noqa: F401
