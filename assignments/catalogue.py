"""The skill catalogue file: 8 skills with their assignments, as JSON (format
`wpo-catalogue/1`; `data/catalogue.json` is the one we ship and shows every field).

An organisation replaces our texts with its own licensed ones by loading a file of the same
format: skills and assignments are matched on their numbers, so progress already recorded keeps
pointing at the same assignment.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from assignments.models import Assignment, Level, Skill

FORMAT = "wpo-catalogue/1"
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
    """Refuse a file that would leave the catalogue half-filled; say where the problem is."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CatalogueError(f'the file must be a JSON object with "format": "{FORMAT}"')
    skills = data.get("skills")
    if not isinstance(skills, list) or not skills:
        raise CatalogueError('"skills" must be a non-empty list')
    numbers = [skill.get("number") for skill in skills]
    if len(set(numbers)) != len(numbers):
        raise CatalogueError("skill numbers must be unique")
    for skill in skills:
        where = f"skill {skill.get('number')!r}"
        _require_text(skill, SKILL_FIELDS, where)
        assignments = skill.get("assignments")
        if not isinstance(assignments, list) or not assignments:
            raise CatalogueError(f'{where}: "assignments" must be a non-empty list')
        assignment_numbers = [a.get("number") for a in assignments]
        if len(set(assignment_numbers)) != len(assignment_numbers):
            raise CatalogueError(f"{where}: assignment numbers must be unique")
        for assignment in assignments:
            here = f"{where}, assignment {assignment.get('number')!r}"
            if assignment.get("number") not in range(1, 7):
                raise CatalogueError(f"{here}: number must be 1 to 6")
            _require_text(assignment, ASSIGNMENT_FIELDS, here)
            if assignment["level"] not in Level.values:
                raise CatalogueError(f"{here}: level must be A, B or C")
            if assignment.get("expected_weeks") not in range(1, 7):
                raise CatalogueError(f"{here}: expected_weeks must be 1 to 6")
            questions = assignment.get("general_questions")
            if (
                not isinstance(questions, list)
                or not all(isinstance(q, str) and q.strip() for q in questions)
                or not questions
            ):
                raise CatalogueError(f"{here}: general_questions must be a list of questions")


def _require_text(record: dict, fields: list[str], where: str) -> None:
    for field in fields:
        value = record.get(field)
        if not isinstance(value, str) or not value.strip():
            raise CatalogueError(f'{where}: "{field}" must be filled in')


@transaction.atomic
def load(data: dict) -> LoadResult:
    """Create or update every skill and assignment in `data`; running it twice changes nothing."""
    validate(data)
    result = LoadResult()
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
