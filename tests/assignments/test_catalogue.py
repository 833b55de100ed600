import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from assignments import catalogue
from assignments.models import Assignment, Skill

PARTS = [
    "title",
    "learning_goal",
    "explanation",
    "general_questions",
    "summary",
    "get_started_task",
    "look_back_task",
]


@pytest.fixture
def shipped():
    return catalogue.read(catalogue.SHIPPED)


def test_shipped_catalogue_has_8_skills_with_6_assignments_each(db):
    call_command("loadcatalogue", stdout=io.StringIO())

    assert Skill.objects.count() == 8
    assert Assignment.objects.count() == 48
    for skill in Skill.objects.prefetch_related("assignments"):
        assert [a.level for a in skill.assignments.all()] == ["A", "A", "B", "B", "C", "C"]


def test_every_assignment_has_all_its_parts_filled_in(db):
    catalogue.load_shipped()

    for assignment in Assignment.objects.all():
        for part in PARTS:
            assert getattr(assignment, part).strip(), (assignment, part)
        assert 3 <= len(assignment.question_list) <= 5
        assert 1 <= assignment.expected_weeks <= 6


def test_catalogue_includes_learning_from_mistakes_and_feedback(db):
    catalogue.load_shipped()

    assert Skill.objects.filter(name="Leren van fouten en feedback").exists()


def test_catalogue_is_written_in_dutch(shipped):
    text = json.dumps(shipped, ensure_ascii=False).lower()

    assert text.count(" je ") > 500
    assert " the " not in text


def test_loading_twice_changes_nothing(db):
    catalogue.load_shipped()
    before = list(Assignment.objects.values())

    result = catalogue.load_shipped()

    assert (result.skills_created, result.assignments_created) == (0, 0)
    assert list(Assignment.objects.values()) == before


def test_organisations_own_file_replaces_the_texts_and_keeps_the_rows(db, shipped, tmp_path):
    catalogue.load(shipped)
    first = Assignment.objects.get(skill__number=1, number=1)
    own = copy.deepcopy(shipped)
    own["skills"][0]["assignments"][0]["title"] = "Fouten durven melden"
    path = tmp_path / "eigen.json"
    path.write_text(json.dumps(own), encoding="utf-8")

    call_command("loadcatalogue", str(path), stdout=io.StringIO())

    first.refresh_from_db()
    assert first.title == "Fouten durven melden"
    assert Assignment.objects.count() == 48


def test_a_broken_file_is_refused_and_nothing_changes(db, shipped, tmp_path):
    catalogue.load(shipped)
    broken = copy.deepcopy(shipped)
    broken["skills"][2]["assignments"][3]["level"] = "D"
    broken["skills"][0]["assignments"][0]["title"] = "Gewijzigd"
    path = tmp_path / "kapot.json"
    path.write_text(json.dumps(broken), encoding="utf-8")

    with pytest.raises(CommandError, match="level must be A, B or C"):
        call_command("loadcatalogue", str(path))

    assert Assignment.objects.get(skill__number=1, number=1).title != "Gewijzigd"


def test_a_file_that_is_not_json_gets_a_clear_error(db, tmp_path):
    path = tmp_path / "kapot.json"
    path.write_text("dit is geen json", encoding="utf-8")

    with pytest.raises(CommandError, match="Catalogue not loaded"):
        call_command("loadcatalogue", str(path))


def write(tmp_path, data):
    path = tmp_path / "catalogus.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda d: d["skills"].append("geen object"), "must be an object"),
        (lambda d: d["skills"][0].pop("number"), "numbered 1 to 8"),
        (lambda d: d["skills"][0].update(number=True), "numbered 1 to 8"),
        (lambda d: d["skills"][1].update(name=d["skills"][0]["name"]), "same name"),
        (lambda d: d["skills"][0].update(observations="Ik zie dat"), "observations"),
        (lambda d: d["skills"][0]["assignments"].pop(), "numbered 1 to 6"),
        (lambda d: d["skills"][0]["assignments"][0].update(expected_weeks=2.0), "expected_weeks"),
        (
            lambda d: d["skills"][0]["assignments"][0].update(video_url="javascript:alert(1)"),
            "video_url",
        ),
    ],
)
def test_a_wrong_file_is_refused_with_the_place_of_the_error(db, shipped, tmp_path, spoil, message):
    spoil(shipped)

    with pytest.raises(CommandError, match=message):
        call_command("loadcatalogue", write(tmp_path, shipped))


def test_a_file_may_swap_two_skills_names(db, shipped, tmp_path):
    catalogue.load(copy.deepcopy(shipped))
    first, second = shipped["skills"][0], shipped["skills"][1]
    first["name"], second["name"] = second["name"], first["name"]

    call_command("loadcatalogue", write(tmp_path, shipped), stdout=io.StringIO())

    assert Skill.objects.get(number=1).name == "Samenwerken"
    assert Skill.objects.get(number=2).name == "Leren van fouten en feedback"


def test_a_file_that_lacks_a_skill_the_app_has_is_refused(db, shipped, tmp_path):
    catalogue.load(copy.deepcopy(shipped))
    shipped["skills"].pop()

    with pytest.raises(CommandError, match=r"lacks skill\(s\) \[8\]"):
        call_command("loadcatalogue", write(tmp_path, shipped))

    assert Skill.objects.count() == 8
