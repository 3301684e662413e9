"""The three ways of asking "may this person see this event?" agree, for every kind of event and
every kind of viewer (issue 15, part 3):

- the queryset `Event.objects.visible_to(person)`: what lists show (the catalog, the home page,
  `GET /api/v1/events`), the person's sight as a participant;
- the predicate `belong.events.access.can_see(person, event, registration=..., invitation_code=...)`
  (the registration action decides with it under the event's lock);
- the load helper `belong.events.access.visible_event_or_404(person, pk, invitation_code=...)`
  (the event's page and `GET /api/v1/events/{id}`).

The predicate and the load helper answer the same in every cell. The queryset answers the same
as both wherever the viewer neither runs the event (`can_manage`) nor brings the code of an
invitation-only event: those two open an event's page without listing it (the lists stay what
the viewer may see as a participant, tests/api/test_events.py), and nothing else does.

The grid: sessions, lectures and collectives' events; public, organization, invitation-only and
members-only; scheduled or cancelled; each with an invitation code; each viewer holding no
registration for it, a registration, or a cancelled one; each viewer bringing no code, the right
code or a wrong one."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from belong.collectives.models import Collective, EventHosting, LeaderRole, Membership
from belong.events import access
from belong.events.models import Event, Registration, Series
from belong.people import roles
from belong.training.models import Course
from tests.builders import make_person

CODE = "the-right-code"
KINDS = [Event.Kind.SESSION, Event.Kind.LECTURE, Event.Kind.COLLECTIVE]
VISIBILITIES = list(Event.Visibility)
STATUSES = [Event.Status.SCHEDULED, Event.Status.CANCELLED]
# The registration every signed-in viewer holds for the event: none, a seat, a cancelled one.
HOLDINGS = [None, Registration.State.REGISTERED, Registration.State.CANCELLED]
CODES = ["", CODE, "a-wrong-code"]


def _viewers(host, other):
    """Every kind of viewer, by name. The inactive person has every tie that would let an
    active one see (a member of the host, a facilitator of every event, a DEI administrator):
    being inactive must outweigh them all."""
    people = {
        "anonymous": AnonymousUser(),
        "inactive": make_person(
            "ina@example.org", "Ina Inactive", roles.DEI_ADMINISTRATOR, is_active=False
        ),
        "plain": make_person("pat@example.org", "Pat Plain"),
        "member": make_person("mo@example.org", "Mo Member"),
        "ally": make_person("al@example.org", "Al Ally"),
        "member_elsewhere": make_person("el@example.org", "El Elsewhere"),
        "leader": make_person("lee@example.org", "Lee Leader"),
        "leader_elsewhere": make_person("lou@example.org", "Lou Otherleader"),
        "dei_administrator": make_person("di@example.org", "Di Admin", roles.DEI_ADMINISTRATOR),
        "training_coordinator": make_person(
            "tc@example.org", "Tess Coordinator", roles.TRAINING_COORDINATOR
        ),
        "facilitator": make_person("fa@example.org", "Fay Facilitator", roles.FACILITATOR),
        "role_facilitator": make_person("fr@example.org", "Fred Facilitator", roles.FACILITATOR),
        "analyst": make_person("an@example.org", "Ann Analyst", roles.ANALYST),
        "operator": make_person("op@example.org", "Opal Operator", is_superuser=True),
    }
    M = Membership.Kind
    for name, collective, kind in [
        ("member", host, M.MEMBER),
        ("ally", host, M.ALLY),
        ("inactive", host, M.MEMBER),
        ("member_elsewhere", other, M.MEMBER),
    ]:
        Membership.objects.create(person=people[name], collective=collective, kind=kind)
    today = timezone.localdate()
    LeaderRole.objects.create(person=people["leader"], collective=host, starts_on=today)
    LeaderRole.objects.create(person=people["leader_elsewhere"], collective=other, starts_on=today)
    return people


def _event(kind, visibility, status, *, course, series, host, number):
    start = timezone.now() + datetime.timedelta(days=3 + number % 20)
    event = Event.objects.create(
        kind=kind,
        title=f"{kind} {visibility} {status} {number}",
        start=start,
        end=start + datetime.timedelta(hours=2),
        visibility=visibility,
        status=status,
        invitation_code=CODE,
        host={Event.Kind.SESSION: course, Event.Kind.COLLECTIVE: host}.get(kind),
        series=series if kind == Event.Kind.LECTURE else None,
    )
    if kind == Event.Kind.COLLECTIVE:
        EventHosting.objects.create(event=event, collective=host)
    return event


@pytest.fixture
def grid(db):
    host = Collective.objects.create(name="Rainbow Collective", slug="rainbow", summary="Host.")
    other = Collective.objects.create(name="Harmony Collective", slug="harmony", summary="Not.")
    course = Course.objects.create(title="Implicit Bias", slug="implicit-bias", description="A.")
    series = Series.objects.create(name="Dean's Lecture Series", slug="deans-lectures")
    viewers = _viewers(host, other)
    signed_in = [p for p in viewers.values() if p.is_authenticated]
    numbers = itertools.count()
    events = []
    for kind, visibility, status, holding in itertools.product(
        KINDS, VISIBILITIES, STATUSES, HOLDINGS
    ):
        event = _event(
            kind, visibility, status, course=course, series=series, host=host, number=next(numbers)
        )
        event.facilitators.add(viewers["facilitator"], viewers["inactive"])
        if holding is not None:
            Registration.objects.bulk_create(
                Registration(event=event, person=person, state=holding) for person in signed_in
            )
        events.append((event, holding))
    return viewers, events


def _opens(person, event, code):
    try:
        loaded = access.visible_event_or_404(person, event.pk, invitation_code=code)
    except Http404:
        return False
    assert loaded.pk == event.pk
    return True


def _own_registration(person, event):
    if not person.is_authenticated:
        return None
    return Registration.objects.filter(event=event, person=person).first()


def test_queryset_predicate_and_load_helper_agree_for_every_event_and_viewer(grid):
    viewers, events = grid
    disagreements = []
    seen = {"queryset": set(), "predicate": set(), "load helper": set()}
    for name, person in viewers.items():
        listed = set(Event.objects.visible_to(person).values_list("pk", flat=True))
        for (event, holding), code in itertools.product(events, CODES):
            registration = _own_registration(person, event)
            predicate = access.can_see(
                person, event, registration=registration, invitation_code=code
            )
            load_helper = _opens(person, event, code)
            queryset = event.pk in listed
            # What opens an event's page without listing it: running it, or its code.
            beyond_the_list = access.can_manage(person, event) or (
                event.visibility == Event.Visibility.INVITATION and code == event.invitation_code
            )
            cell = (name, event.kind, event.visibility, event.status, holding, code)
            if predicate != load_helper:
                disagreements.append(("predicate vs load helper", predicate, load_helper, cell))
            if predicate != (queryset or beyond_the_list):
                disagreements.append(("predicate vs queryset", predicate, queryset, cell))
            for rule, answer in (
                ("queryset", queryset),
                ("predicate", predicate),
                ("load helper", load_helper),
            ):
                if answer:
                    seen[rule].add(name)
    assert not disagreements, "\n".join(map(str, disagreements))
    # The grid is not degenerate: each rule lets some viewers see something, and a visitor (or an
    # inactive person) lists public events only.
    for name in ("anonymous", "inactive", "plain", "member", "operator"):
        assert {name} <= seen["queryset"] <= seen["predicate"]
    for name in ("anonymous", "inactive"):
        person = viewers[name]
        visibilities = set(
            Event.objects.visible_to(person).values_list("visibility", flat=True).distinct()
        )
        assert visibilities == {Event.Visibility.PUBLIC}, name


def test_every_kind_of_viewer_sees_what_the_rule_in_words_says(grid):
    """The same grid against the rule as belong/events/access.py states it in words, for the
    cells with no registration and no code (a registration or the code only ever add): visitors
    and inactive accounts see public events; everyone else signed in also organization events;
    a members-only collective event its host's members, allies and leaders; and whoever runs
    an event sees it (DEI administrators every event, training coordinators sessions and
    lectures, but no role a members-only one; its facilitators, its host's leaders; an operator
    holds every role)."""
    viewers, events = grid
    runs_by_role = {
        "dei_administrator": lambda e: e.visibility != Event.Visibility.MEMBERS,
        "operator": lambda e: e.visibility != Event.Visibility.MEMBERS,
        "training_coordinator": lambda e: (
            e.kind in (Event.Kind.SESSION, Event.Kind.LECTURE)
            and e.visibility != Event.Visibility.MEMBERS
        ),
        "facilitator": lambda e: True,
        "leader": lambda e: e.kind == Event.Kind.COLLECTIVE,
    }
    audience = {"member", "ally", "leader"}
    for name, person in viewers.items():
        for event, holding in events:
            if holding is not None:
                continue
            V = Event.Visibility
            active = person.is_authenticated and person.is_active
            if not active:
                expected = event.visibility == V.PUBLIC
            elif event.visibility in (V.PUBLIC, V.ORGANIZATION):
                expected = True
            elif event.visibility == V.MEMBERS and name in audience:
                expected = event.kind == Event.Kind.COLLECTIVE
            else:
                expected = runs_by_role.get(name, lambda e: False)(event)
            answer = access.can_see(person, event, registration=None)
            assert answer == expected, (name, event.kind, event.visibility, event.status)
