"""The skill catalogue file: 8 skills with their assignments, as JSON (format
`wpo-catalogue/1`; `data/catalogue.json` is the one we ship and shows every field).

An organisation replaces our texts with its own licensed ones by loading a file of the same
format: skills and assignments are matched on their numbers, so progress already recorded keeps
pointing at the same assignment.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from assignments.models import Assignment, Level, Skill

FORMAT = "wpo-catalogue/1"
ASSIGNMENT_NUMBERS = range(1, 7)
SHIPPED = Path(__file__).resolve().parent / "data" / "catalogue.json"

SKILL_FIELDS = ["name", "competence", "description"]
ASSIGNMENT_FIELDS = [
    "level",
    "title",
    "learning_goal",
    "explanation",
    "summary",
    "get_started_task",
    "look_back_task",
]


class CatalogueError(ValueError):
    pass


@dataclass
class LoadResult:
    skills_created: int = 0
    skills_updated: int = 0
    assignments_created: int = 0
    assignments_updated: int = 0


def read(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CatalogueError(f"{path}: {error}") from error
    validate(data)
    return data


def validate(data: dict) -> None:
    """Refuse a file that would leave the catalogue half-filled or wrong; say where."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CatalogueError(f'the file must be a JSON object with "format": "{FORMAT}"')
    skills = data.get("skills")
    if not isinstance(skills, list) or not skills:
        raise CatalogueError('"skills" must be a non-empty list')
    if not all(isinstance(skill, dict) for skill in skills):
        raise CatalogueError('every entry of "skills" must be an object')
    numbers = [skill.get("number") for skill in skills]
    if not all(_is_whole(n) for n in numbers) or sorted(numbers) != list(range(1, len(skills) + 1)):
        raise CatalogueError(f"skills must be numbered 1 to {len(skills)}, each once")
    names = [skill.get("name") for skill in skills]
    if len(set(names)) != len(names):
        raise CatalogueError("two skills have the same name")
    for skill in skills:
        _validate_skill(skill)


def _validate_skill(skill: dict) -> None:
    where = f"skill {skill['number']}"
    _require_text(skill, SKILL_FIELDS, where)
    _require_list(skill, "observations", where, required=False)
    assignments = skill.get("assignments")
    if not isinstance(assignments, list) or not all(isinstance(a, dict) for a in assignments):
        raise CatalogueError(f'{where}: "assignments" must be a list of objects')
    if sorted(a.get("number") for a in assignments if _is_whole(a.get("number"))) != list(
        ASSIGNMENT_NUMBERS
    ):
        raise CatalogueError(f"{where}: assignments must be numbered 1 to 6, each once")
    for assignment in assignments:
        _validate_assignment(assignment, f"{where}, assignment {assignment['number']}")


def _validate_assignment(assignment: dict, here: str) -> None:
    _require_text(assignment, ASSIGNMENT_FIELDS, here)
    if assignment["level"] not in Level.values:
        raise CatalogueError(f"{here}: level must be A, B or C")
    weeks = assignment.get("expected_weeks")
    if not _is_whole(weeks) or not 1 <= weeks <= 6:
        raise CatalogueError(f"{here}: expected_weeks must be a whole number, 1 to 6")
    _require_list(assignment, "general_questions", here, required=True)
    video = assignment.get("video_url", "")
    try:
        if video:
            URLValidator(schemes=["https", "http"])(video)
    except ValidationError:
        raise CatalogueError(f"{here}: video_url must be an http(s) address") from None


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _require_text(record: dict, fields: list[str], where: str) -> None:
    for field in fields:
        value = record.get(field)
        if not isinstance(value, str) or not value.strip():
            raise CatalogueError(f'{where}: "{field}" must be filled in')


def _require_list(record: dict, field: str, where: str, *, required: bool) -> None:
    """A list of one-line texts (stored one per line)."""
    value = record.get(field, None if required else [])
    if (
        not isinstance(value, list)
        or (required and not value)
        or not all(isinstance(v, str) and v.strip() and "\n" not in v for v in value)
    ):
        raise CatalogueError(f'{where}: "{field}" must be a list of one-line texts')


@transaction.atomic
def load(data: dict) -> LoadResult:
    """Create or update every skill and assignment in `data`; running it twice changes nothing."""
    validate(data)
    missing = set(Skill.objects.values_list("number", flat=True)) - {
        skill["number"] for skill in data["skills"]
    }
    if missing:
        # progress may point at those skills' assignments: a catalogue is replaced, not cut
        raise CatalogueError(f"the file lacks skill(s) {sorted(missing)} that the app has")
    result = LoadResult()
    # Names are unique: park the existing ones first, so a file may swap two skills' names.
    for skill in Skill.objects.all():
        Skill.objects.filter(pk=skill.pk).update(name=f"~{skill.pk}~{skill.name}"[:100])
    for record in data["skills"]:
        skill, created = Skill.objects.update_or_create(
            number=record["number"],
            defaults={
                "name": record["name"],
                "competence": record["competence"],
                "description": record["description"],
                "observations": "\n".join(record.get("observations", [])),
            },
        )
        result.skills_created += created
        result.skills_updated += not created
        for item in record["assignments"]:
            _, created = Assignment.objects.update_or_create(
                skill=skill,
                number=item["number"],
                defaults={
                    "level": item["level"],
                    "title": item["title"],
                    "learning_goal": item["learning_goal"],
                    "explanation": item["explanation"],
                    "video_url": item.get("video_url", ""),
                    "general_questions": "\n".join(item["general_questions"]),
                    "summary": item["summary"],
                    "get_started_task": item["get_started_task"],
                    "look_back_task": item["look_back_task"],
                    "expected_weeks": item["expected_weeks"],
                },
            )
            result.assignments_created += created
            result.assignments_updated += not created
    return result


def load_shipped() -> LoadResult:
    return load(read(SHIPPED))
