"""The pictograms: drawn for this project, one per skill, part of an assignment and main
action, shown inline with a Dutch name for screen readers, or as decoration beside words."""

import re
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from assignments import catalogue
from assignments.pictograms import FOLDER, NAMES, PARTS, Feeling, inline_svg

PICTOGRAMS = Path(__file__).resolve().parents[2] / "static" / FOLDER


def render(source, **context):
    return Template("{% load pictograms %}" + source).render(Context(context))


def test_every_skill_part_and_action_has_a_drawing_of_48_by_48_and_nothing_else_is_drawn():
    files = {path.stem for path in PICTOGRAMS.glob("*.svg")}
    wanted = {f"skill-{number}" for number in range(1, 9)} | {f"part-{part}" for part in PARTS}

    assert wanted <= set(NAMES)
    assert files == set(NAMES)
    for name in files:
        assert 'viewBox="0 0 48 48"' in (PICTOGRAMS / f"{name}.svg").read_text()


def test_the_drawings_say_where_they_come_from_and_under_which_licence():
    licence = (PICTOGRAMS / "LICENSE.txt").read_text()

    assert "drawn for this project" in licence


def test_a_pictogram_is_an_image_with_a_dutch_name():
    with translation.override("nl"):
        svg = render('{% pictogram "skill-2" %}')

    assert svg.startswith('<svg class="pictogram" role="img"')
    assert "<title>Samenwerken</title>" in svg


def test_a_pictogram_is_named_by_its_parts_such_as_a_skill_number():
    with translation.override("nl"):
        svg = render('{% pictogram "skill" number %}', number=5)

    assert "<title>Je werk plannen</title>" in svg


def test_a_pictogram_beside_words_that_say_the_same_is_hidden_from_screen_readers():
    svg = render('{% pictogram "part" "questions" label="" %}')

    assert 'aria-hidden="true"' in svg
    assert "<title>" not in svg
    assert "role=" not in svg


def test_a_label_of_its_own_is_escaped():
    svg = inline_svg("action-done", label="<b>Klaar</b>")

    assert "<title>&lt;b&gt;Klaar&lt;/b&gt;</title>" in svg


def test_a_skill_without_a_drawing_shows_no_picture_rather_than_an_error():
    assert render('{% pictogram "skill" 9 %}') == ""


def test_the_catalogue_shows_each_skill_and_each_part_with_its_pictogram_and_reads_aloud(
    client, world
):
    catalogue.load_shipped()
    client.force_login(world.trainer.user)

    page = client.get(reverse("assignments:catalogue")).content.decode()

    assert page.count('<svg class="pictogram"') == 8 + 8 * 6 * 5
    assert page.count("data-read-aloud") == 8 + 8 * 6 * 5


def test_the_catalogue_shows_the_summary_as_a_list_without_dashes(client, world):
    catalogue.load_shipped()
    client.force_login(world.trainer.user)

    page = client.get(reverse("assignments:catalogue")).content.decode()

    assert "<li>Meld een fout meteen bij je werkplekopleider.</li>" in page
    assert not re.search(r">\s*- ", page)


class HowDidItGo(forms.Form):
    feeling = forms.ChoiceField(
        label="Hoe ging het?", choices=Feeling.choices, widget=forms.RadioSelect
    )


@pytest.mark.parametrize("data", [None, {"feeling": "so-so"}, {}])
def test_a_pictured_choice_is_a_radio_button_with_a_face_and_a_word_per_answer(data):
    form = HowDidItGo(data)
    form.is_valid()

    with translation.override("nl"):
        html = render(
            '{% include "assignments/_pictured_choice.html" with field=form.feeling '
            'pictograms="face" %}',
            form=form,
        )

    assert "<legend>Hoe ging het?</legend>" in html
    assert html.count('type="radio"') == 3
    for word, face in [
        ("goed", "face-good"),
        ("een beetje", "face-so-so"),
        ("moeilijk", "face-hard"),
    ]:
        assert f"<span>{word}</span>" in html
        drawing = inline_svg(face, label="")
        assert drawing in html
    checked = re.findall(r'<input type="radio"[^>]*value="([^"]+)"[^>]*checked', html)
    assert checked == (["so-so"] if data == {"feeling": "so-so"} else [])
    assert ("field-error" in html) == (data == {})
