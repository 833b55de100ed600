"""The visitor's address, for everything that counts per address (login lockout, guessing codes
on the verification page).

Behind the proxies of docs/deploy.md the connection comes from the proxy, so every visitor would
share its address and one person's mistakes would lock out everyone. Each proxy adds the address
it saw to the right of `X-Forwarded-For`. With `WPO_TRUSTED_PROXIES` = N, the N-th entry from the
right was written by the outermost proxy of ours: the visitor's. Whatever stands to the left of
it came from the visitor and is ignored, so nobody escapes a limit by sending the header
themselves. With no proxy trusted, the header is ignored altogether.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """Also `AXES_CLIENT_IP_CALLABLE`. A request that did not come through every trusted proxy
    (too few entries, or one that is no address) counts as the proxy's, together with all such
    requests: it is limited all the same, never let off."""
    peer = request.META.get("REMOTE_ADDR", "")
    proxies = settings.WPO_TRUSTED_PROXIES
    if not proxies:
        return peer
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        return peer
    try:
        # normalised, so "2001:DB8::1" and "2001:db8::1" are one visitor
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return peer
