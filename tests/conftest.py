"""Shared fixtures: the named test people of DESIGN.md, built per test.

alice the member, bob the collective leader, carol the training coordinator, erin the
mentorship coordinator, frank the DEI administrator, grace the analyst, dave the outsider
(signed in, no role, no ties); `course` and its `session` that ended yesterday; `content`, the
seed content. Tasks run immediately; mail goes to Django's memory outbox. The rows a test needs
beyond these come from tests/builders.py.
"""

import pytest

from belong.people import roles
from tests.builders import OBJECTIVES, event_row, make_course, make_person

# Marker-driven skips with clear reasons; BELONG_FORBID_SKIPS=1 makes any skip fail the run.
# pytester runs the skip guard's own tests (tests/plugins).
pytest_plugins = ["tests.skipguard", "pytester"]


@pytest.fixture(autouse=True)
def _immediate_tasks_and_memory_mail(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Fast hashing in tests that do not test hashing itself (test_passwords checks argon2).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The visitors' catalog cache is off, so that pages show the context they were rendered
    # with; tests/training/test_catalog_cache.py turns it on. Each test starts with an empty
    # cache: nothing cached by another test (whose rows were rolled back) may be served.
    settings.CATALOG_CACHE_SECONDS = 0
    settings.COLLECTIVES_CACHE_SECONDS = 0
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _releases_read_afresh():
    # Releases are kept in each process under their id (belong.insights.serving); a rolled-back
    # test's release may share its id with the next test's.
    from belong.insights import serving

    serving.forget()


@pytest.fixture
def alice(db):
    return make_person("alice@example.org", "Alice Member")


@pytest.fixture
def bob(db):
    return make_person("bob@example.org", "Bob Leader")


@pytest.fixture
def carol(db):
    return make_person(
        "carol@example.org", "Carol Coordinator", roles.TRAINING_COORDINATOR, roles.FACILITATOR
    )


@pytest.fixture
def erin(db):
    return make_person("erin@example.org", "Erin Mentorship", roles.MENTORSHIP_COORDINATOR)


@pytest.fixture
def frank(db):
    return make_person("frank@example.org", "Frank Admin", roles.DEI_ADMINISTRATOR)


@pytest.fixture
def grace(db):
    return make_person("grace@example.org", "Grace Analyst", roles.ANALYST)


@pytest.fixture
def dave(db):
    return make_person("dave@example.org", "Dave Outsider")


@pytest.fixture
def course(db):
    """A workshop with two learning objectives (what the evaluation tests start from)."""
    return make_course(objectives=OBJECTIVES)


@pytest.fixture
def session(course):
    """A session of `course` that ended yesterday."""
    return event_row(host=course, days=-1)


@pytest.fixture
def content(db):
    """The seed content, loaded by the real loader."""
    from django.core.management import call_command

    call_command("load_content", verbosity=0)
