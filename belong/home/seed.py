"""The seed content loader: the texts of the three public pages Belong grows from.

The texts live, verbatim, in ``belong/home/content/seed.toml``. ``load_content()`` creates every
object of it that is missing and leaves every object that exists exactly as it is: once loaded,
content belongs to the editors (the Django admin), and ``make run`` runs this every time.

Each object is found by a stable key: a slug; for a singleton page, the page itself (there is one
row, whatever its title has become); for the training contact, its name; for a course's session,
the course and its start. Children (commitments, learning objectives, policy versions) are created
only together with their new parent, so an editor's deletion of one is not undone. The whole load
is one transaction.
"""

import datetime
import re
import tomllib
from importlib import resources
from zoneinfo import ZoneInfo

from django.db import transaction

from belong.collectives.models import Collective, CollectivesPage, Commitment, FocusArea
from belong.events.models import Event, Series
from belong.library.models import Policy, PolicyVersion
from belong.mentorship.models import Program, ProgramCommitment
from belong.training.models import Contact, Course, LearningObjective, TrainingPage

SEED_PACKAGE = "belong.home.content"
SEED_FILE = "seed.toml"

# The keys of load_content()'s answer (plural, singular), in the order of its one-line summary.
COUNTS = {
    "pages": "page",
    "areas of focus": "area of focus",
    "collectives": "collective",
    "collective commitments": "collective commitment",
    "program commitments": "program commitment",
    "policies": "policy",
    "policy versions": "policy version",
    "contacts": "contact",
    "courses": "course",
    "learning objectives": "learning objective",
    "sessions": "session",
    "series": "series",
}

_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def read_seed() -> dict:
    """The seed content as plain data (the parsed ``seed.toml``)."""
    with resources.files(SEED_PACKAGE).joinpath(SEED_FILE).open("rb") as file:
        return tomllib.load(file)


def first_sentence(text: str) -> str:
    """The first sentence of a text's first paragraph, verbatim (the whole paragraph if it has
    no sentence end)."""
    paragraph = text.split("\n\n", 1)[0]
    match = _SENTENCE_END.search(paragraph)
    return paragraph[: match.end()] if match else paragraph


def summary_line(made: dict[str, int]) -> str:
    if not any(made.values()):
        return "Seed content: created nothing (all of it was already there)."
    parts = [f"{made[key]} {key if made[key] != 1 else one}" for key, one in COUNTS.items()]
    return "Seed content: created " + ", ".join(parts) + "."


@transaction.atomic
def load_content(stdout=None) -> dict[str, int]:
    """Create the seed content that is missing; change nothing that exists.

    Answers how many objects of each kind it created (the keys of ``COUNTS``); writes the
    one-line summary to ``stdout`` when one is given.
    """
    seed = read_seed()
    made = dict.fromkeys(COUNTS, 0)
    _collectives_page(seed["collectives_page"], made)
    _focus_areas(seed["focus_areas"], made)
    _collectives(seed["collectives"], made)
    _mentorship_program(seed["mentorship_program"], made)
    _policies(seed["policies"], made)
    _training_page(seed["training_page"], made)
    _contacts(seed["training_contacts"], made)
    _courses(seed["courses"], ZoneInfo(seed["time_zone"]), made)
    _series(seed["series"], made)
    if stdout is not None:
        stdout.write(summary_line(made) + "\n")
    return made


def _collectives_page(data, made):
    if CollectivesPage.objects.exists():
        return
    CollectivesPage.objects.create(
        title=data["title"], intro=data["intro"], program_name=data["program_name"]
    )
    made["pages"] += 1


def _focus_areas(items, made):
    for order, data in enumerate(items, start=1):
        if FocusArea.objects.filter(slug=data["slug"]).exists():
            continue
        FocusArea.objects.create(slug=data["slug"], name=data["name"], order=order)
        made["areas of focus"] += 1


def _collectives(items, made):
    for order, data in enumerate(items, start=1):
        if Collective.objects.filter(slug=data["slug"]).exists():
            continue
        collective = Collective.objects.create(
            slug=data["slug"],
            name=data["name"],
            name_to_confirm=data["name_to_confirm"],
            summary=first_sentence(data["mission"]),
            mission=data["mission"],
            vision=data.get("vision", ""),
            order=order,
        )
        made["collectives"] += 1
        made["collective commitments"] += _ordered(
            Commitment, "collective", collective, data.get("commitments", [])
        )


def _mentorship_program(data, made):
    if Program.objects.exists():
        return
    program = Program.objects.create(
        name=data["name"], welcome=data["welcome"], mission_intro=data["mission_intro"]
    )
    made["pages"] += 1
    made["program commitments"] += _ordered(
        ProgramCommitment, "program", program, data["commitments"]
    )


def _policies(items, made):
    for data in items:
        if Policy.objects.filter(slug=data["slug"]).exists():
            continue
        policy = Policy.objects.create(
            slug=data["slug"],
            title=data["title"],
            owner=data["owner"],
            review_interval_months=data["review_interval_months"],
            review_note=data["review_note"],
        )
        made["policies"] += 1
        for version in data["versions"]:
            PolicyVersion.objects.create(
                policy=policy, number=version["number"], body=version["body"]
            )
            made["policy versions"] += 1


def _training_page(data, made):
    if TrainingPage.objects.exists():
        return
    TrainingPage.objects.create(
        title=data["title"],
        purpose=data["purpose"],
        foundational_heading=data["foundational_heading"],
        foundational_intro=data["foundational_intro"],
        request_note=data["request_note"],
    )
    made["pages"] += 1


def _contacts(items, made):
    for order, data in enumerate(items, start=1):
        if Contact.objects.filter(name=data["name"]).exists():
            continue
        Contact.objects.create(
            name=data["name"],
            credentials=data["credentials"],
            pronouns=data["pronouns"],
            title=data["title"],
            bio=data["bio"],
            email=data.get("email", ""),
            order=order,
        )
        made["contacts"] += 1


def _courses(items, zone, made):
    for order, data in enumerate(items, start=1):
        course = Course.objects.filter(slug=data["slug"]).first()
        if course is None:
            course = Course.objects.create(
                slug=data["slug"],
                title=data["title"],
                description=data["description"],
                duration_minutes=data.get("duration_minutes"),
                recorded=False,
                foundational=True,
                order=order,
            )
            made["courses"] += 1
            made["learning objectives"] += _ordered(
                LearningObjective, "course", course, data["objectives"]
            )
        for session in data.get("sessions", []):
            made["sessions"] += _session(course, session, zone)


def _session(course, data, zone) -> int:
    start = _aware(data["start"], zone)
    if course.sessions.filter(start=start).exists():
        return 0
    Event.objects.create(
        kind=Event.Kind.SESSION,
        host=course,
        title=course.title,
        start=start,
        end=_aware(data["end"], zone),
        minimum=data["minimum"],
        status=Event.Status.SCHEDULED,
    )
    return 1


def _series(items, made):
    for data in items:
        if Series.objects.filter(slug=data["slug"]).exists():
            continue
        Series.objects.create(slug=data["slug"], name=data["name"], description=data["description"])
        made["series"] += 1


def _ordered(model, parent_field, parent, texts) -> int:
    model.objects.bulk_create(
        model(**{parent_field: parent}, order=order, text=text)
        for order, text in enumerate(texts, start=1)
    )
    return len(texts)


def _aware(wall_clock: datetime.datetime, zone: ZoneInfo) -> datetime.datetime:
    """A seed time (a wall-clock time, as the page gives it) in the seed's zone."""
    if wall_clock.tzinfo is not None:
        return wall_clock
    return wall_clock.replace(tzinfo=zone)
