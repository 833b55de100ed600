"""Slowing down guessing on the public pages that take a secret in their address (a
certificate's code, a participant's link): the misses per visitor in the last hour, counted by
a hashed address, so no one's address is kept."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from wpo.proxy import client_ip

WINDOW = datetime.timedelta(hours=1)


class Guessing:
    def __init__(self, model, salt: str, setting: str):
        self.model, self.salt, self.setting = model, salt, setting

    def client(self, request) -> str:
        """The visitor's address (as login throttling sees it, behind the proxies), hashed."""
        return salted_hmac(self.salt, client_ip(request)).hexdigest()

    def too_many(self, request) -> bool:
        since = timezone.now() - WINDOW
        misses = self.model.objects.filter(client=self.client(request), at__gte=since)
        return misses.count() >= getattr(settings, self.setting)

    def record_miss(self, request):
        self.model.objects.filter(at__lt=timezone.now() - WINDOW).delete()
        self.model.objects.create(client=self.client(request))
