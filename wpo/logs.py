"""Secrets that travel in a URL never reach a log. Used by Django's log handler (settings.LOGGING)
and by gunicorn's request and error logs (wpo/gunicorn.py), so it imports nothing of Django."""

import logging
import re

# The calendar feed's token (trajects.calendar): the person's id, a dot, the signature. It is
# the key to the feed, so a log line must not carry it; the rest of the path stays readable.
CALENDAR_TOKEN = re.compile(r"/calendar/\d+\.[\w-]*")
# The participant's personal link (trajects.participant): /p/ and the random token.
PARTICIPANT_TOKEN = re.compile(r"/p/[^/\s\"'?]+")
SECRETS = [(CALENDAR_TOKEN, "/calendar/<token>"), (PARTICIPANT_TOKEN, "/p/<token>")]


def hide_secrets(text: str) -> str:
    for secret, hidden in SECRETS:
        text = secret.sub(hidden, text)
    return text


class HideSecrets(logging.Filter):
    """Writes the message out with the secrets replaced. Every record passes."""

    def filter(self, record):
        message = record.getMessage()
        hidden = hide_secrets(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True
