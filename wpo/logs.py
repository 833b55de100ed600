"""Secrets that travel in a URL never reach a log. Used by Django's log handler (settings.LOGGING)
and by gunicorn's request and error logs (wpo/gunicorn.py), so it imports nothing of Django."""

import logging
import re

# The calendar feed's token (trajects.calendar): the person's id, a dot, the signature. It is
# the key to the feed, so a log line must not carry it; the rest of the path stays readable.
CALENDAR_TOKEN = re.compile(r"/calendar/\d+\.[\w-]*")
HIDDEN = "/calendar/<token>"


def hide_secrets(text: str) -> str:
    return CALENDAR_TOKEN.sub(HIDDEN, text)


class HideSecrets(logging.Filter):
    """Writes the message out with the secrets replaced. Every record passes."""

    def filter(self, record):
        message = record.getMessage()
        hidden = hide_secrets(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True
