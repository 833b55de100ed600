import fcntl
import os
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse

from tests.factories import (
    DepartmentFactory,
    TrajectoryFactory,
    UserFactory,
    staff_member,
)
from tests.serving import manage, production_environment
from trajects.services.participant import make_link
from wpo.models import Department, Person, Role


@dataclass
class World:
    """Two departments in two business units, each with its own trainer, coach and participant,
    the manager of the first department's unit, and a project manager and an administrator over
    both: enough to tell every role's scope apart."""

    department: Department
    other_department: Department
    trainer: Person
    other_trainer: Person
    coach: Person
    other_coach: Person
    project_manager: Person
    unit_manager: Person
    admin: object
    trajectory: object
    other_trajectory: object
    colleague_trajectory: object

    def user(self, role: str):
        """The login for a row of the access matrix; None is the anonymous visitor."""
        if role == "anonymous":
            return None
        if role == "admin":
            return self.admin
        return getattr(self, role).user


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a connection fails, and is listed: a PDF renders offline."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network while rendering")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.fixture
def weasyprint():
    """WeasyPrint, or a skip with what to install (a failure under CI, which installs it)."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        message = f"WeasyPrint cannot load ({error}): apt-get install libpangoft2-1.0-0"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return weasyprint


def _run_folder(tmp_path_factory):
    """The folder the run's test workers (xdist) share: what one makes there, the others use."""
    own = tmp_path_factory.getbasetemp()
    return own.parent if os.environ.get("PYTEST_XDIST_WORKER") else own


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, tmp_path_factory):
    """Each worker's test database, a copy of one migrated once a run (Django's own cloning, as
    its parallel test runner does): migrating a database took seconds per worker, and the copy
    a fraction of one. Without workers the run migrates its own, as pytest-django does."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        with django_db_blocker.unblock():
            made = setup_databases(verbosity=0, interactive=False)
        yield
        with django_db_blocker.unblock():
            teardown_databases(made, verbosity=0)
        return
    creation = connection.creation
    test_name = connection.settings_dict["TEST"]
    # the copies are named after it with _gw0, _gw1..., as pytest-django names them
    template = creation._get_test_db_name()
    shared = _run_folder(tmp_path_factory)
    if connection.vendor == "sqlite":
        template = str(shared / "tests.sqlite3")
    with django_db_blocker.unblock():
        with open(shared / "database.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            ready = shared / "database.ready"
            test_name["NAME"] = template
            if not ready.exists():
                setup_databases(verbosity=0, interactive=False)
                ready.touch()
            # closed first: SQLite's last connection moves its log into the file being copied,
            # and PostgreSQL copies no database anyone is connected to
            connection.close()
            connection.settings_dict["NAME"] = template
            creation.clone_test_db(suffix=worker, verbosity=0)
        connection.settings_dict.update(creation.get_test_db_clone_settings(worker))
        test_name["NAME"] = connection.settings_dict["NAME"]
    yield
    with django_db_blocker.unblock():
        connection.close()
        creation._destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """The static files collected once a run for every test that runs the production stack: with
    test workers (xdist) the first that needs them collects them in the run's shared folder while
    the others wait, as hashing and compressing them is the same work each time."""
    shared = _run_folder(tmp_path_factory)
    folder = shared / "static"
    with open(shared / "static.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # the manifest is written last: without it a collection broke off, and is done again
        if not (folder / "staticfiles.json").exists():
            environment = production_environment(folder, "sqlite://")
            manage(environment, "collectstatic", "--no-input", "-v0")
    return folder


def make_world() -> World:
    department = DepartmentFactory(name="Inpak")
    other_department = DepartmentFactory(name="Groen")
    trainer = staff_member(Role.TRAINER, department, first_name="Tineke")
    other_trainer = staff_member(Role.TRAINER, other_department, first_name="Otto")
    coach = staff_member(Role.COACH, department, first_name="Carla")
    other_coach = staff_member(Role.COACH, other_department, first_name="Olga")
    project_manager = staff_member(Role.PROJECT_MANAGER, first_name="Pieter")
    unit_manager = staff_member(Role.UNIT_MANAGER, department, first_name="Bea")
    admin = UserFactory(username="beheer", is_staff=True, is_superuser=True)
    return World(
        department=department,
        other_department=other_department,
        trainer=trainer,
        other_trainer=other_trainer,
        coach=coach,
        other_coach=other_coach,
        project_manager=project_manager,
        unit_manager=unit_manager,
        admin=admin,
        trajectory=TrajectoryFactory(department=department, trainer=trainer, coach=coach),
        other_trajectory=TrajectoryFactory(
            department=other_department, trainer=other_trainer, coach=other_coach
        ),
        # same department, guided by a colleague of `trainer`, another coach named on it
        colleague_trajectory=TrajectoryFactory(
            department=department, trainer=staff_member(Role.TRAINER, department)
        ),
    )


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """One world for a module of many short tests, made once in a transaction that is rolled
    back at the module's end. Each test's own transaction is a savepoint inside it, so what a
    test stores is still undone before the next; a test takes a deep copy of the objects, so
    what it changes in memory is undone too."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            made = make_world()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    yield made
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def open_personal_link(client, trajectory):
    """The participant opens a new personal link of `trajectory` on `client`: their session."""
    token = make_link(trajectory)
    response = client.get(reverse("trajects:participant_open", args=[token]))
    assert response.status_code == 302
    return token


def pytest_collection_modifyitems(items):
    # The long modules go to the test workers first, so the run does not end waiting on one.
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
