import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from assignments import catalogue
from assignments.models import Assignment, Level, Skill

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


def test_levels_sort_from_a_to_c():
    assert sorted([Level.C, Level.A, Level.B]) == [Level.A, Level.B, Level.C]
