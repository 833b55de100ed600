"""Where a save's new events go on a page that already shows the others: in date order,
without drawing the timeline again."""

import datetime

from trajects.timeline import Event, placed

NOON = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)


def shown(*keys):
    """Events newest first, an hour apart."""
    return [
        Event(NOON - datetime.timedelta(hours=hour), "note", key, key=key)
        for hour, key in enumerate(keys)
    ]


def where(runs):
    return [(place, [event.key for event in run]) for place, run in runs]


def test_the_newest_events_go_on_top():
    runs = placed(shown("new", "old"), {"new"})

    assert where(runs) == [("afterbegin:#timeline-events", ["new"])]


def test_an_event_dated_earlier_goes_before_the_next_older_one():
    runs = placed(shown("later", "new", "older"), {"new"})

    assert where(runs) == [("beforebegin:#timeline-older", ["new"])]


def test_new_events_apart_go_each_in_their_place():
    runs = placed(shown("conversation", "note", "passed", "introduced"), {"conversation", "passed"})

    assert where(runs) == [
        ("afterbegin:#timeline-events", ["conversation"]),
        ("beforebegin:#timeline-introduced", ["passed"]),
    ]


def test_the_oldest_shown_event_goes_at_the_bottom():
    runs = placed(shown("later", "new"), {"new"})

    assert where(runs) == [("beforeend:#timeline-events", ["new"])]


def test_an_event_beyond_the_latest_shown_is_not_placed():
    assert placed(shown("later", "older"), {"new"}) == []
