"""Builders for the tests: the rows a test needs, each with sensible defaults and keyword overrides.

People (with roles), org units, courses, events (sessions, lectures, collective events: through
the real action, or written directly when the actions would not make them: in the past, or
without their checks), registrations, collectives with members and leaders, directories,
mentorship cycles and enrolments, initiatives, releases, evaluations, group requests, uploads
and form data. The named people and the shared fixtures are in tests/conftest.py and each
folder's conftest.py; times are counted with the pinned clock of tests/clock.py (a day from
today at a fixed local hour) unless a test needs "so long ago, from now" (an event that has
started: `ago=`).

Names and email addresses are numbered, so that two calls in one test never collide. Builders
are named make_* (new_* for numbered people) so that none shadows a fixture or a local variable
(`collective`, `course`, `session`, `event` are fixtures and variables everywhere).
"""

import datetime
import io
import itertools
import zipfile

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.clock import PINNED, local_day_at

PASSWORD = "correct-horse-battery-staple"

_numbers = itertools.count(1)


def number():
    """A number no other call in this process got: for unique slugs, names and addresses."""
    return next(_numbers)


# --- people -------------------------------------------------------------------------------------


def make_person(email, name, *role_names, **fields):
    """A person with exactly this email and name, in the groups `role_names` (belong.people.roles)."""
    from belong.people.models import Person

    made = Person.objects.create_user(email=email, password=PASSWORD, full_name=name, **fields)
    for role_name in role_names:
        # get_or_create: transactional tests flush the groups the migrations made.
        made.groups.add(Group.objects.get_or_create(name=role_name)[0])
    return made


def new_person(prefix="person", *role_names, name=None, **fields):
    """A numbered person: `<prefix><n>@example.org`, named "<Prefix> <n>" unless `name` says."""
    n = number()
    return make_person(
        f"{prefix}{n}@example.org", name or f"{prefix.title()} {n}", *role_names, **fields
    )


def new_people(count, prefix="person", *role_names, **fields):
    return [new_person(prefix, *role_names, **fields) for _ in range(count)]


def new_facilitator(prefix="fay", **fields):
    from belong.people import roles

    n = number()
    return make_person(
        f"{prefix}{n}@example.org", f"{prefix.title()} Facilitator {n}", roles.FACILITATOR, **fields
    )


def token_for(someone, name="tests", scopes=("read", "write", "identity")):
    """The secret of a new API token of `someone` (every scope unless `scopes` says)."""
    from belong.people import actions

    _token, secret = actions.create_token(person=someone, name=name, scopes=scopes)
    return secret


def bearer(secret):
    """The header of an API request made with `secret` (client.get(url, **bearer(secret)))."""
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def sign_in(client, someone):
    client.force_login(someone)
    return client


# --- org units ----------------------------------------------------------------------------------


def make_org_unit(slug, kind, *, parent=None, name=None):
    """The org unit `slug` (made if missing: several builders share the demo tree's units)."""
    from belong.people.models import OrgUnit

    unit, _ = OrgUnit.objects.get_or_create(
        slug=slug,
        defaults={"name": name or slug.replace("-", " ").title(), "kind": kind, "parent": parent},
    )
    return unit


def make_campuses():
    """The demo org tree's campuses under the medical school: (Twin Cities, Duluth)."""
    from belong.people.models import OrgUnit

    school = make_org_unit("umn-medical-school", OrgUnit.Kind.INSTITUTION, name="Medical School")
    return (
        make_org_unit("twin-cities", OrgUnit.Kind.CAMPUS, parent=school, name="Twin Cities"),
        make_org_unit("duluth", OrgUnit.Kind.CAMPUS, parent=school, name="Duluth"),
    )


def make_program_tree():
    """A campus, a department in it and a residency program in that: {campus, department, program}."""
    from belong.people.models import OrgUnit

    campus = make_org_unit("twin-cities", OrgUnit.Kind.CAMPUS, name="Twin Cities")
    department = make_org_unit(
        "medicine", OrgUnit.Kind.DEPARTMENT, parent=campus, name="Department of Medicine"
    )
    program = make_org_unit(
        "im-residency", OrgUnit.Kind.PROGRAM, parent=department, name="Internal Medicine Residency"
    )
    return {"campus": campus, "department": department, "program": program}


# --- courses ------------------------------------------------------------------------------------

OBJECTIVES = ("Name bias", "Practise allyship")


def make_course(slug=None, *, title=None, objectives=(), topics=(), sessions=0, **fields):
    """A course of the catalog: `slug` (numbered from `title` if not given), its learning
    `objectives` (texts, in order), its `topics` and `sessions` upcoming sessions (written
    directly, 20 seats, on the following days)."""
    from belong.training.models import Course, LearningObjective

    if slug is None:
        stem = (title or "course").lower().replace(" ", "-").replace("'", "")
        slug = f"{stem}-{number()}"
    fields.setdefault("description", f"About {title or slug}.")
    made = Course.objects.create(slug=slug, title=title or slug.replace("-", " ").title(), **fields)
    for order, text in enumerate(objectives, start=1):
        LearningObjective.objects.create(course=made, text=text, order=order)
    if topics:
        made.topics.add(*topics)
    for k in range(sessions):
        event_row(host=made, days=3 + k, capacity=20)
    return made


def make_topic(name, order=0):
    from belong.training.models import Topic

    return Topic.objects.create(name=name, slug=name.lower().replace(" ", "-"), order=order)


# --- events -------------------------------------------------------------------------------------


def _span(start, days, hour, minute, ago):
    if start is not None:
        return start
    if ago is not None:
        return timezone.now() - ago
    return local_day_at(days, hour, minute)


def make_event(*, days=5, hour=10, minute=0, hours=2, start=None, actor=None, **fields):
    """An event through the real action (belong.events.actions.create_event): a workshop session
    unless `kind` says otherwise, titled after its host, `days` from today at `hour` local time
    unless `start` says, lasting `hours`."""
    from belong.events import actions
    from belong.events.models import Event

    start = _span(start, days, hour, minute, None)
    host = fields.get("host")
    fields.setdefault("title", host.title if host is not None else "Implicit Bias")
    fields.setdefault("kind", Event.Kind.SESSION)
    return actions.create_event(
        actor=actor, start=start, end=start + datetime.timedelta(hours=hours), **fields
    )


def make_session(host=None, **fields):
    """A workshop session of `host` (a course, or none) through the real action."""
    return make_event(host=host, **fields)


def make_lecture(**fields):
    """A lecture of the Dean's Lecture Series (no minimum) through the real action."""
    from belong.events.models import Event

    fields.setdefault("title", "The Dean's Lecture")
    fields.setdefault("minimum", 0)
    return make_event(kind=Event.Kind.LECTURE, **fields)


def event_row(*, days=5, hour=10, minute=0, hours=2, minutes=None, start=None, ago=None, **fields):
    """An event written directly, without the action's checks and mail: for the past (`ago`,
    a timedelta before now: an event that has started; `days` < 0: on a past day) and for rows
    a test sets up around what it looks at. A course's is a workshop session titled after it,
    any other a collective event, unless `kind` and `title` say otherwise."""
    from belong.events.models import Event
    from belong.training.models import Course

    start = _span(start, days, hour, minute, ago)
    length = datetime.timedelta(minutes=minutes) if minutes else datetime.timedelta(hours=hours)
    host = fields.get("host")
    fields.setdefault("title", getattr(host, "title", None) or "An event")
    fields.setdefault(
        "kind", Event.Kind.SESSION if isinstance(host, Course) else Event.Kind.COLLECTIVE
    )
    return Event.objects.create(start=start, end=start + length, **fields)


def session_row(host=None, **fields):
    """A workshop session written directly, of a new course unless `host` says (the times as
    event_row counts them)."""
    return event_row(host=host or make_course(), **fields)


def make_catalog_session(host, **fields):
    """A session of `host` as the catalog tests list them, written directly: virtual, at noon
    local time, 90 minutes long, a minimum of 6."""
    from belong.events.models import Event

    fields.setdefault("hour", 12)
    fields.setdefault("minutes", 90)
    fields.setdefault("minimum", 6)
    fields.setdefault("format", Event.Format.VIRTUAL)
    return event_row(host=host, **fields)


def make_registration(event, someone, state=None, **fields):
    """A registration written directly (registered unless `state` says; the rules are tested
    with the actions)."""
    from belong.events.models import Registration

    return Registration.objects.create(
        event=event, person=someone, state=state or Registration.State.REGISTERED, **fields
    )


def make_attended(event, someone, **fields):
    from belong.events.models import Registration

    return make_registration(event, someone, Registration.State.ATTENDED, **fields)


def fill(event, everyone, state=None):
    """Registrations of `everyone` in `event`, written at once."""
    from belong.events.models import Registration

    Registration.objects.bulk_create(
        Registration(event=event, person=someone, state=state or Registration.State.REGISTERED)
        for someone in everyone
    )


def make_attended_session(host, someone, **fields):
    """A past session of `host` (three days ago unless `days`/`start` say) that `someone` attended."""
    fields.setdefault("days", -3)
    made = event_row(host=host, **fields)
    make_attended(made, someone)
    return made


def seat_and_waitlist(event):
    """Two learners registered through the action: on an event with one seat, the first holds
    it and the second waits."""
    from belong.events import actions

    holder, waiting = new_person("learner"), new_person("learner")
    actions.register(event.pk, person=holder)
    actions.register(event.pk, person=waiting)
    return holder, waiting


def date_field(days):
    """The local date `days` from today, as a date field takes it."""
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def event_form_data(event, **fields):
    """The POST of an edit form (a session's, a lecture's) as it shows `event`: its date and
    times, place, seats, registration window and visibility; `fields` adds or changes fields."""
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    data = {
        "date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"),
        "format": event.format,
        "campus": event.campus_id or "",
        "place": event.place,
        "online_join_details": event.online_join_details,
        "capacity": "" if event.capacity is None else str(event.capacity),
        "registration_opens_at": "",
        "registration_closes_at": "",
        "visibility": event.visibility,
    }
    data.update(fields)
    return data


# --- collectives --------------------------------------------------------------------------------


def make_focus_area(slug, *, name=None, order=0):
    from belong.collectives.models import FocusArea

    area, _ = FocusArea.objects.get_or_create(
        slug=slug, defaults={"name": name or slug.replace("-", " ").title(), "order": order}
    )
    return area


def make_collective(slug=None, *, areas=(), commitments=(), **fields):
    """A collective: `areas` (FocusArea rows or slugs) and `commitments` (texts, in order)."""
    from belong.collectives.models import Collective, Commitment

    slug = slug or f"collective-{number()}"
    fields.setdefault("name", slug.replace("-", " ").title())
    fields.setdefault("summary", f"About {slug}")
    fields.setdefault("mission", "A mission.")
    fields.setdefault("vision", "A vision.")
    made = Collective.objects.create(slug=slug, **fields)
    for order, area in enumerate(areas):
        if isinstance(area, str):
            area = make_focus_area(area, name=area.title(), order=order)
        made.focus_areas.add(area)
    for order, text in enumerate(commitments):
        Commitment.objects.create(collective=made, text=text, order=order)
    return made


def make_membership(someone, collective, kind="member", visibility="leaders"):
    """A membership through the real action."""
    from belong.collectives.actions import memberships

    return memberships.join(
        collective.pk, person=someone, kind=kind, visibility=visibility
    ).membership


LEADER_MAIL = ("leader:", "leader-ended:", "leader-withdrawn:")


def forget_leader_mail():
    """Drop the appointment and end-of-term messages from the outbox and the sent mail: every
    appointment emails the person named (tests/collectives/test_leader_actions.py proves it);
    tests about other messages set their leaders up without it, so that their outbox holds
    only what they look at."""
    from django.core import mail

    from belong.notifications.models import OutboundMessage

    for prefix in LEADER_MAIL:
        OutboundMessage.objects.filter(key__startswith=prefix).delete()
    mail.outbox[:] = [m for m in mail.outbox if "account was changed" not in m.subject]


def appoint(collective, *, actor, person, title=None, **fields):
    """A leader of `collective` (a row or its id) through the real action, chair unless `title`
    says, without the email that tells them."""
    from belong.collectives.actions import leaders
    from belong.collectives.models import LeaderRole

    role = leaders.appoint_leader(
        getattr(collective, "pk", collective),
        actor=actor,
        person=person,
        title=title or LeaderRole.Title.CHAIR,
        **fields,
    )
    forget_leader_mail()
    return role


def end_term(role_id, **kwargs):
    """End a leader's term through the real action, without the email that tells them."""
    from belong.collectives.actions import leaders

    role = leaders.end_leader_term(role_id, **kwargs)
    forget_leader_mail()
    return role


def make_former_leader(collective, *, actor, email="olga@example.org", name="Olga Former"):
    """Someone whose term as co-chair of `collective` began 400 days ago and ended yesterday."""
    from belong.collectives.models import LeaderRole

    someone = make_person(email, name)
    today = timezone.localdate()
    appoint(
        collective,
        actor=actor,
        person=someone,
        title=LeaderRole.Title.CO_CHAIR,
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=1),
    )
    return someone


def make_other_leader(collective, *, actor, email="hugo@example.org", name="Hugo Harmony"):
    """The chair of `collective` (another one than the collective a test looks at)."""
    someone = make_person(email, name)
    appoint(collective, actor=actor, person=someone)
    return someone


def make_collective_event(collective, actor, *, days=5, hours=2, **fields):
    """An event of `collective` through create_collective_event (members only by default)."""
    from belong.collectives.actions import events

    start = fields.pop("start", None) or local_day_at(days)
    fields.setdefault("title", "Pride Month Mixer")
    return events.create_collective_event(
        collective.pk,
        actor=actor,
        start=start,
        end=start + datetime.timedelta(hours=hours),
        **fields,
    )


def make_hosted_event(collective, **fields):
    """An event that `collective` hosts, written directly (a collective event titled "Picnic"
    unless `kind` and `title` say otherwise; the times as event_row counts them)."""
    from belong.collectives.models import EventHosting
    from belong.events.models import Event

    fields.setdefault("title", "Picnic")
    fields.setdefault("kind", Event.Kind.COLLECTIVE)
    made = event_row(**fields)
    EventHosting.objects.create(event=made, collective=collective)
    return made


def make_started_collective_event(collective, *, hours_ago=3, **fields):
    """An event of `collective` that has started and ended (written directly: the actions only
    schedule events ahead)."""
    from belong.events.models import Event

    fields.setdefault("title", "Book Club")
    fields.setdefault("visibility", Event.Visibility.MEMBERS)
    return make_hosted_event(
        collective,
        host=collective,
        ago=datetime.timedelta(hours=hours_ago),
        hours=1,
        **fields,
    )


def make_business(name, **fields):
    """An approved business of the directory (catering unless `category` says)."""
    from belong.collectives.models import Business

    fields.setdefault("category", "Catering")
    fields.setdefault("status", Business.Status.APPROVED)
    return Business.objects.create(name=name, **fields)


def make_partner(name, areas=(), **fields):
    """An approved community partner (health unless `category` says) in `areas`."""
    from belong.collectives.models import Partner

    fields.setdefault("category", "Health")
    fields.setdefault("status", Partner.Status.APPROVED)
    entry = Partner.objects.create(name=name, **fields)
    entry.focus_areas.set(areas)
    return entry


def make_recommendation_draft(collective, actor, **fields):
    """A draft recommendation of `collective` through the real action."""
    from belong.collectives.actions import recommendations

    fields.setdefault("title", "Inclusive benefits")
    fields.setdefault("problem", "Benefits do not cover **all** families.")
    fields.setdefault("proposal", "Extend benefits to every family.")
    return recommendations.save_draft(collective.pk, actor=actor, **fields)


def make_submitted_recommendation(collective, actor, *, now=None, **fields):
    """A recommendation drafted and submitted (at `now`) through the real actions."""
    from belong.collectives.actions import recommendations

    draft = make_recommendation_draft(collective, actor, **fields)
    return recommendations.submit(draft.pk, actor=actor, now=now)


def make_recommendation_in_state(collective, actor, state, *, submitted_at=PINNED, **fields):
    """A recommendation put straight into `state` (for the transition matrix): submitted at
    `submitted_at` unless a draft, answered then too if its state is an answer."""
    from belong.collectives.models import Recommendation, RecommendationUpdate

    recommendation = make_recommendation_draft(collective, actor, **fields)
    if state == Recommendation.State.DRAFT:
        return recommendation
    recommendation.state = state
    recommendation.submitted_at = submitted_at
    if state in Recommendation.ANSWERED:
        recommendation.answered_at = submitted_at + datetime.timedelta(days=1)
    recommendation.save()
    RecommendationUpdate.objects.create(
        recommendation=recommendation,
        state=Recommendation.State.SUBMITTED,
        by=actor,
        at=submitted_at,
    )
    return recommendation


# --- mentorship ---------------------------------------------------------------------------------


def open_cycle(actor, *, opened=0, closes=10, matching=12, title="2026-2027 mentorship cycle"):
    """A cycle through the real action: enrolment opened `opened` days ago and closes in
    `closes` days; matching in `matching`."""
    from belong.mentorship.actions import cycles as actions

    today = timezone.localdate()
    return actions.create_cycle(
        actor=actor,
        title=title,
        academic_year="2026-2027",
        enrolment_opens_on=today - datetime.timedelta(days=opened),
        enrolment_closes_on=today + datetime.timedelta(days=closes),
        matching_on=today + datetime.timedelta(days=matching),
        mode="optimal",
        min_score=1,
    )


def enrol_mentee(cycle, someone, **fields):
    """`someone` enrolled as a mentee through the real action (a PGY-1 who meets virtually)."""
    from belong.mentorship.actions import cycles as actions

    fields.setdefault("today", timezone.localdate())
    fields.setdefault("training_level", "pgy1")
    fields.setdefault("meeting", ["virtual"])
    return actions.enrol(cycle.pk, person=someone, role="mentee", **fields)


def enrol_mentor(cycle, someone, **fields):
    """`someone` enrolled as a mentor of one through the real action (meets virtually)."""
    from belong.mentorship.actions import cycles as actions

    fields.setdefault("today", timezone.localdate())
    fields.setdefault("training_level", "associate")
    fields.setdefault("capacity", 1)
    fields.setdefault("meeting", ["virtual"])
    return actions.enrol(cycle.pk, person=someone, role="mentor", **fields)


# --- insights -----------------------------------------------------------------------------------


def initiative_with_metric(admin, *, lead, title="Maternal health equity", metric="SMM per 10,000"):
    """(initiative, metric) through the real actions: severe maternal morbidity, lower is
    better, baseline 90, target 60."""
    from belong.insights import initiatives

    initiative = initiatives.create_initiative(
        actor=admin,
        title=title,
        lead=lead,
        unit=None,
        disparity="Severe maternal morbidity is higher for Black patients.",
        population="Birthing people",
        status="active",
    )
    made = initiatives.add_metric(
        initiative,
        actor=admin,
        name=metric,
        unit="per 10,000",
        direction="lower",
        baseline=90,
        target=60,
        target_on=None,
    )
    return initiative, made


def release_figure(value):
    """A stored figure: hidden when `value` is None."""
    return {"hidden": True} if value is None else {"value": value}


def release_row(cells, total=None, *, status="fresh", as_of_release=1):
    """A stored row of a hand-written release: `cells` ({column: value}), `total` (False: none)."""
    made = {
        "cells": {key: release_figure(value) for key, value in cells.items()},
        "status": status,
        "as_of_release": as_of_release,
    }
    if total is not False:
        made["total"] = release_figure(total)
    return made


def stored_release(number, topics, *, as_of=None, kind="operator"):
    """A hand-written release `number` holding `topics` ({topic: (published, meta)}), as of
    `as_of`: what the engine would have stored, for the tests of serving."""
    from belong.insights import serving
    from belong.insights.models import Release, ReleaseTopic

    release = Release.objects.create(
        number=number,
        kind=kind,
        as_of=as_of or datetime.date(2026, 11, 1) + datetime.timedelta(days=number),
        engine_settings={"threshold": 11, "max_noise": 3},
    )
    for name, (published, meta) in topics.items():
        ReleaseTopic.objects.create(release=release, topic=name, published=published, meta=meta)
    serving.forget()
    return release


def cut_release(kind="operator", **kwargs):
    """Cut a release now, as an operator would (the figures pages read from then on)."""
    from belong.insights import cutting, serving

    release = cutting.cut_release(kind=kind, **kwargs)
    serving.forget()
    return release


def exact_releases(settings):
    """No perturbation: a release then shows the true counts, so that a test checks what is
    counted exactly (tests/insights/test_release_consistency.py checks the perturbation)."""
    settings.RELEASE_MAX_NOISE = 0


# --- training: evaluations and group requests ---------------------------------------------------


def evaluation_invite(registration, token=None):
    """An invitation with a token the test knows (the real one is only in the email)."""
    from belong.training.actions.evaluations import token_digest
    from belong.training.models import EvaluationInvite

    token = token or f"token-{registration.pk}-{number()}"
    EvaluationInvite.objects.create(registration=registration, token=token_digest(token))
    return token


def evaluation_form_data(course, *, rating="4", session_rating="5", comment=""):
    """The POST of the evaluation form: every objective of `course` rated `rating`."""
    from belong.training.actions.evaluations import objective_field

    data = {objective_field(objective.pk): rating for objective in course.objectives.all()}
    data["session_rating"] = session_rating
    data["comment"] = comment
    return data


def evaluation_answers(event, course, n, *, rating=4, comment="Comment {i}"):
    """n anonymous answers, written directly (as submit_evaluation writes them)."""
    from belong.training.models import Evaluation, ObjectiveRating

    objectives = list(course.objectives.all())
    for i in range(n):
        evaluation = Evaluation.objects.create(
            event=event,
            session_rating=rating,
            comment=comment.format(i=i),
            submitted_on=timezone.localdate(),
        )
        ObjectiveRating.objects.bulk_create(
            ObjectiveRating(evaluation=evaluation, objective=objective, rating=rating)
            for objective in objectives
        )


def close_evaluation_window(event):
    """Time passes until just after the evaluation window of `event` closed: the session's dates
    move back (no clock is faked; everything that reads the time sees the window closed)."""
    from django.db.models import F

    from belong.events.models import Event
    from belong.training.actions.evaluations import closes_at

    shift = closes_at(event) - timezone.now() + datetime.timedelta(minutes=1)
    Event.objects.filter(pk=event.pk).update(start=F("start") - shift, end=F("end") - shift)
    event.refresh_from_db()
    return event


def published_evaluation(event, course, n=0, **answers):
    """A session whose window has closed with `n` answers, published by the real action."""
    from belong.training.actions.evaluations import publish_evaluation

    evaluation_answers(event, course, n, **answers)
    close_evaluation_window(event)
    return publish_evaluation(event_id=event.pk)


def local_date(days):
    """The local date `days` from today."""
    return timezone.localdate() + datetime.timedelta(days=days)


def group_request_form_data(courses, **overrides):
    """The POST of the group request form for `courses`: one window, in two to four weeks."""
    data = {
        "group_name": "Emergency Medicine nursing",
        "org_unit": "",
        "courses": [str(course.pk) for course in courses],
        "expected_participants": "12",
        "window_1_from": date_field(14),
        "window_1_to": date_field(28),
        "window_2_from": "",
        "window_2_to": "",
        "window_3_from": "",
        "window_3_to": "",
        "format": "virtual",
        "campus": "",
        "tailoring": "Cases from the emergency department, please.",
    }
    data.update(overrides)
    return data


def make_group_request(someone, courses, **fields):
    """A group request through the real action (status new)."""
    from belong.events.models import Event
    from belong.training.actions import requests

    fields.setdefault("group_name", f"Group {number()}")
    fields.setdefault("expected_participants", 10)
    fields.setdefault("windows", [(local_date(14), local_date(28))])
    fields.setdefault("format", Event.Format.VIRTUAL)
    return requests.submit_request(person=someone, courses=courses, **fields)


# --- uploads ------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def office_file(main_part="word/document.xml"):
    """The smallest Office Open XML package: the content-types part and the main part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        if main_part:
            package.writestr(main_part, "<document/>")
    return buffer.getvalue()


# --- reading what a page answered ---------------------------------------------------------------


def queries_for(client, url):
    """How many queries a GET of `url` makes (a 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


def text(response):
    return response.content.decode()


def event_page(pk, code=""):
    """The address of an event's page (with the invitation `code` of a private event)."""
    return f"/events/{pk}/" + (f"?code={code}" if code else "")
