"""gunicorn's settings for production: `gunicorn --config wpo/gunicorn.py`, behind nginx or a
load balancer (see docs/deploy.md). Where it listens is the caller's: `--bind` (default
127.0.0.1:8000)."""

import gc
import os
from importlib import import_module

from django.conf import settings
from gunicorn import glogging

from wpo.logs import HideSecrets

wsgi_app = "wpo.wsgi:application"

# Plain processes: nginx buffers slow phones, so a worker is never held by a bad connection.
# Three suit one small server; WEB_CONCURRENCY is gunicorn's usual way to say otherwise.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))

# Printing a batch of certificates as one PDF takes a while; nothing else comes near this.
timeout = 120
graceful_timeout = 30
# WeasyPrint's memory only grows: a worker is replaced now and then, never all at once.
max_requests = 1000
max_requests_jitter = 100


def post_worker_init(worker):
    """Python's full garbage collection walks every object the process holds, and a page
    leaves cycles behind (a prefetched row and its parent point at each other): about one
    request in ten paused some 90 ms for it, most of that on the code and settings loaded at
    start, which live as long as the worker. Frozen, they are not walked again."""
    import_module(settings.ROOT_URLCONF)  # the views, forms and their imports: loaded now
    gc.freeze()


# The log goes to stdout for journald. A request line holds no address and no query string:
# a search for a participant's name would otherwise land in the log. The request id is the one
# nginx sets (`proxy_set_header X-Request-ID $request_id`), so its log lines match ours.
accesslog = "-"
access_log_format = (
    'method=%(m)s path="%(U)s" status=%(s)s bytes=%(b)s ms=%(M)s request_id=%({x-request-id}i)s'
)


class Logger(glogging.Logger):
    """gunicorn's own, with the calendar link's key and the participant's personal link
    (wpo.logs) hidden in the request lines and in the
    errors that name a path ("Error handling request /calendar/...")."""

    hide_secrets = HideSecrets()

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(self.hide_secrets)  # once: the same filter is not added twice


logger_class = Logger

# gunicornc is not used; without this every instance on a machine wants the same socket.
control_socket_disable = True
