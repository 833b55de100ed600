"""The administrator's housekeeping of the organisation: people added one by one, a login made,
roles given and taken, and employees imported from a CSV file. Every step is in the history of
the person and their roles, and in the audit log.

An import is checked line by line first; a file with any refused line imports nothing (one
transaction), so the administrator corrects the file and imports it again whole."""

import csv
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from wpo import audit
from wpo.models import INFIXES, AuditAction, Department, Membership, Person, Role
from wpo.services import refuse, save

# Dutch column names first (what a Dutch export has), the English ones understood too
COLUMNS = {
    "name": ("naam", "name"),
    "employee_number": ("personeelsnummer", "employee number"),
    "department": ("afdeling", "department"),
    "email": ("e-mail", "email", "e-mailadres"),
}
MOST_LINES = 5000


# one by one


def _check_username(username: str):
    if get_user_model().objects.filter(username__iexact=username).exists():
        refuse(_("This login name is taken."), "username")


@transaction.atomic
def add_person(
    *,
    first_name: str,
    last_name: str,
    department: Department,
    infix: str = "",
    employee_number: str = "",
    email: str = "",
    username: str = "",
    by=None,
) -> Person:
    """An employee; with a login name, also a login without a password: its owner chooses
    one through "Wachtwoord vergeten", with this e-mail address."""
    if employee_number and Person.objects.filter(employee_number=employee_number).exists():
        refuse(_("This employee number belongs to someone else."), "employee_number")
    person = Person(
        first_name=first_name,
        infix=infix,
        last_name=last_name,
        department=department,
        employee_number=employee_number,
        email=email,
    )
    if username:
        person.user = _new_login(username, email)
    save(person, by=by)
    audit.record(AuditAction.PERSON_ADDED, user=by, obj=person)
    return person


def _new_login(username: str, email: str):
    _check_username(username)
    if not email:
        refuse(_("A login needs an e-mail address, for its password."), "email")
    user = get_user_model()(username=username, email=email)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def make_login(person: Person, *, username: str, email: str, by=None) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id:
        refuse(_("This person has a login already."))
    if person.anonymised_on:
        refuse(_("This person has been erased."))
    person.user = _new_login(username, email)
    person.email = person.email or email
    save(person, ["user", "email"], by=by)
    audit.record(AuditAction.PERSON_ADDED, user=by, obj=person.user)
    return person


@transaction.atomic
def give_role(
    person: Person, *, role: str, department: Department | None, business_unit=None, by=None
) -> Membership:
    """A trainer or coach of a department, a manager of a business unit, or the project manager
    of the whole organisation. A role is for someone who logs in."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.user_id:
        refuse(_("Make a login for this person first: a role is for someone who logs in."))
    if role in (Role.PROJECT_MANAGER, Role.UNIT_MANAGER):
        department = None
    if role != Role.UNIT_MANAGER:
        business_unit = None
    if role == Role.UNIT_MANAGER and business_unit is None:
        refuse(_("Choose the business unit of this role."), "business_unit")
    if role in (Role.TRAINER, Role.COACH) and department is None:
        refuse(_("Choose the department of this role."), "department")
    place = {"department": department, "business_unit": business_unit}
    if person.memberships.filter(role=role, **place).exists():
        refuse(_("This person has this role already."))
    membership = Membership(person=person, role=role, **place)
    save(membership, by=by)
    audit.record(AuditAction.ROLE_GIVEN, user=by, obj=membership)
    return membership


@transaction.atomic
def take_role(membership: Membership, *, by=None):
    """The role ends; what the person recorded in it stays, with their name."""
    audit.record(AuditAction.ROLE_TAKEN, user=by, obj=membership)
    membership._history_user = by
    membership.delete()


# a CSV file of employees


def split_name(name: str) -> tuple[str, str, str]:
    """A full Dutch name as (first name, infix, last name): the infix is the run of lower-case
    prefixes before the surname ("Anna de Vries"); without one the last word is the surname."""
    words = name.split()
    for at, word in enumerate(words[1:], start=1):
        if word in INFIXES:
            end = at
            while end < len(words) - 1 and words[end] in INFIXES:
                end += 1
            return " ".join(words[:at]), " ".join(words[at:end]), " ".join(words[end:])
    return " ".join(words[:-1]), "", words[-1] if words else ""


@dataclass
class Line:
    number: int
    name: str = ""
    department: str = ""
    error: str = ""
    known: bool = False  # already there: left as it is


@dataclass
class Report:
    lines: list[Line] = field(default_factory=list)
    problem: str = ""  # about the whole file: nothing else is checked
    imported: int = 0

    @property
    def errors(self) -> list[Line]:
        return [line for line in self.lines if line.error]

    @property
    def new(self) -> list[Line]:
        return [line for line in self.lines if not line.error and not line.known]

    @property
    def ok(self) -> bool:
        return not self.problem and not self.errors


class _Departments:
    """Departments by name, or by "business unit / department" where a name is used twice."""

    def __init__(self):
        self.by_name, self.by_unit = {}, {}
        for department in Department.objects.select_related("business_unit"):
            self.by_name.setdefault(department.name.casefold(), []).append(department)
            key = f"{department.business_unit.name}/{department.name}".casefold()
            self.by_unit[key] = department

    def find(self, typed: str) -> Department:
        key = typed.strip().casefold()
        if "/" in key:
            unit, _slash, name = key.partition("/")
            found = self.by_unit.get(f"{unit.strip()}/{name.strip()}")
            return found or refuse(_("There is no department “%(name)s”.") % {"name": typed})
        found = self.by_name.get(key, [])
        if not found:
            refuse(_("There is no department “%(name)s”.") % {"name": typed})
        if len(found) > 1:
            refuse(
                _("There are two departments “%(name)s”: write “business unit / department”.")
                % {"name": typed}
            )
        return found[0]


def _header(text: str) -> tuple[str, dict[str, int]]:
    """The delimiter and where each column is; refuses a header that is not ours."""
    delimiter = ";" if text.count(";") >= text.count(",") else ","
    names = [name.strip().casefold() for name in next(csv.reader([text], delimiter=delimiter))]
    where = {}
    for key, accepted in COLUMNS.items():
        found = [at for at, name in enumerate(names) if name in accepted]
        if not found:
            refuse(_("The column “%(name)s” is missing.") % {"name": accepted[0]})
        where[key] = found[0]
    unknown = [name for name in names if not any(name in a for a in COLUMNS.values())]
    if unknown:
        refuse(
            _("The column “%(name)s” is unknown. The columns are: %(columns)s.")
            % {"name": unknown[0], "columns": ", ".join(a[0] for a in COLUMNS.values())}
        )
    return delimiter, where


def _check_line(line: Line, values: list[str], width: int, where, departments, seen) -> dict:
    if len(values) != width:
        refuse(
            _("This line has %(found)s columns instead of %(width)s.")
            % {"found": len(values), "width": width}
        )
    value = {key: values[at].strip() for key, at in where.items()}
    line.name, line.department = value["name"], value["department"]
    first_name, infix, last_name = split_name(value["name"])
    if not first_name or not last_name:
        refuse(_("Write the name with a first name and a last name."))
    number = value["employee_number"]
    if not number:
        refuse(_("The employee number is missing."))
    if number in seen:
        refuse(
            _("Employee number %(number)s is on line %(line)s too.")
            % {"number": number, "line": seen[number]}
        )
    seen[number] = line.number
    department = departments.find(value["department"])
    if value["email"]:
        try:
            validate_email(value["email"])
        except ValidationError:
            refuse(_("“%(email)s” is no e-mail address.") % {"email": value["email"]})
    return {
        "first_name": first_name,
        "infix": infix,
        "last_name": last_name,
        "employee_number": number,
        "department": department,
        "email": value["email"],
    }


def _check_known(line: Line, person: Person | None, row: dict):
    """An employee number known already: the same person again is left as it is (a file
    imported before), someone else is refused."""
    if person is None:
        return
    if (person.first_name, person.infix, person.last_name) != (
        row["first_name"],
        row["infix"],
        row["last_name"],
    ):
        refuse(
            _("Employee number %(number)s belongs to %(name)s already.")
            % {"number": row["employee_number"], "name": person.full_name}
        )
    line.known = True


def read_employees(raw: bytes) -> tuple[Report, list[dict]]:
    """Check every line of a CSV file of employees: a report per line, and the new people."""
    report, rows = Report(), []
    raw_lines = raw.removeprefix(b"\xef\xbb\xbf").splitlines()
    if not raw_lines:
        report.problem = _("The file is empty.")
        return report, rows
    if len(raw_lines) > MOST_LINES + 1:
        report.problem = _("The file has more than %(most)s lines.") % {"most": MOST_LINES}
        return report, rows
    try:
        delimiter, where = _header(raw_lines[0].decode("utf-8"))
    except (UnicodeDecodeError, ValidationError) as error:
        report.problem = (
            _unreadable() if isinstance(error, UnicodeDecodeError) else error.messages[0]
        )
        return report, rows
    width = len(next(csv.reader([raw_lines[0].decode("utf-8")], delimiter=delimiter)))
    departments, seen = _Departments(), {}
    numbered = [(n, text) for n, text in enumerate(raw_lines[1:], start=2) if text.strip()]
    numbers = [_number_of(text, delimiter, where) for _n, text in numbered]
    known = {
        person.employee_number: person
        for person in Person.objects.filter(employee_number__in=numbers).exclude(employee_number="")
    }
    for number, text in numbered:
        line = Line(number)
        report.lines.append(line)
        try:
            values = next(csv.reader([text.decode("utf-8")], delimiter=delimiter))
            row = _check_line(line, values, width, where, departments, seen)
            _check_known(line, known.get(row["employee_number"]), row)
        except UnicodeDecodeError:
            line.error = _unreadable()
        except ValidationError as refusal:
            line.error = " ".join(refusal.messages)
        else:
            if not line.known:
                rows.append(row)
    return report, rows


def _unreadable() -> str:
    return _("Not readable: save the file as “CSV UTF-8” and choose it again.")


def _number_of(text: bytes, delimiter: str, where) -> str:
    try:
        values = next(csv.reader([text.decode("utf-8")], delimiter=delimiter))
        return values[where["employee_number"]].strip()
    except (UnicodeDecodeError, IndexError, StopIteration):
        return ""


@transaction.atomic
def import_employees(raw: bytes, *, dry_run: bool, by=None) -> Report:
    """Check the file, and unless it is a dry run or a line is refused, add its new
    employees, all or none."""
    report, rows = read_employees(raw)
    if dry_run or not report.ok:
        return report
    for row in rows:
        save(Person(**row), by=by)
    report.imported = len(rows)
    audit.record(AuditAction.PEOPLE_IMPORTED, user=by)
    return report
