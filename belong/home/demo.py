"""Demo data for trying Belong: one person per role, an org tree, future sessions of every
course, the catalog's topics, two lectures, and some memberships. Only when the setting
BELONG_DEMO is on.

Idempotent: people, org units and memberships are looked up before they are made, and a course
gets new sessions only while it has fewer than SESSIONS_PER_COURSE upcoming ones.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from belong.collectives.actions import announcements as announcement_actions
from belong.collectives.actions import events as collective_events
from belong.collectives.actions import experiences as experience_actions
from belong.collectives.actions import memberships as membership_actions
from belong.collectives.actions import recommendations as recommendation_actions
from belong.collectives.models import (
    Announcement,
    Business,
    Collective,
    Experience,
    FocusArea,
    LeaderRole,
    Membership,
    Partner,
    Recommendation,
)
from belong.events import actions as event_actions
from belong.events.models import Event, Registration, Series
from belong.mentorship.actions import cycles as mentorship_actions
from belong.mentorship.models import Cycle, Enrollment
from belong.people import privacy, roles
from belong.people.models import Consent, OrgUnit, Person
from belong.training.models import Certificate, Course, Topic

DEMO_PASSWORD = "belong-demo-password"  # noqa: S105  (documented in the README; demo only)
SESSIONS_PER_COURSE = 2

# email, full name, preferred name, pronouns, kind, roles, staff (may use /admin/)
PEOPLE = [
    ("member@belong.test", "Alicia Member", "Alicia", "she/her", "resident", [], False),
    ("leader@belong.test", "Roberto Leader", "Beto", "he/him", "staff", [], False),
    (
        "facilitator@belong.test",
        "Carol Facilitator",
        "",
        "she/her",
        "staff",
        [roles.FACILITATOR],
        False,
    ),
    (
        "training@belong.test",
        "Tomás Coordinator",
        "",
        "he/him",
        "staff",
        [roles.TRAINING_COORDINATOR, roles.FACILITATOR],
        True,
    ),
    (
        "mentorship@belong.test",
        "Erin Coordinator",
        "",
        "they/them",
        "faculty",
        [roles.MENTORSHIP_COORDINATOR],
        False,
    ),
    (
        "dei-admin@belong.test",
        "Frank Administrator",
        "",
        "he/him",
        "staff",
        [roles.DEI_ADMINISTRATOR],
        True,
    ),
    ("analyst@belong.test", "Grace Analyst", "", "she/her", "staff", [roles.ANALYST], False),
    ("admin@belong.test", "Site Operator", "", "", "staff", [], True),
]

ORG_TREE = [
    # slug, name, kind, parent slug
    ("umn-medical-school", "University of Minnesota Medical School", "institution", None),
    ("twin-cities", "Twin Cities", "campus", "umn-medical-school"),
    ("duluth", "Duluth", "campus", "umn-medical-school"),
    ("medicine", "Department of Medicine", "department", "twin-cities"),
    ("pediatrics", "Department of Pediatrics", "department", "twin-cities"),
    ("family-medicine-duluth", "Family Medicine and Community Health", "department", "duluth"),
    ("internal-medicine-residency", "Internal Medicine Residency", "program", "medicine"),
    ("pediatrics-residency", "Pediatrics Residency", "program", "pediatrics"),
    ("hospital-medicine", "Division of Hospital Medicine", "division", "medicine"),
]

# (collective slug, person email, kind, visibility)
MEMBERSHIPS = [
    ("latinx", "member@belong.test", "member", "leaders"),
    ("lgbtq", "member@belong.test", "ally", "members"),
    ("latinx", "leader@belong.test", "member", "organization"),
    ("muslim", "analyst@belong.test", "member", "leaders"),
]
LEADERS = [("latinx", "leader@belong.test", "chair")]
QUIET_MEMBERS = 12

DEMO_EVENT_TITLE = "Heritage night: Latinx and Black collectives together"
DEMO_ANNOUNCEMENT_TITLE = "Volunteers for residency interview days"
# (title, answered)
DEMO_RECOMMENDATIONS = [
    ("Interpreters on evening shifts", True),
    ("Spanish-language signage in clinics", False),
]
DEMO_BUSINESSES = [
    {
        "name": "Mercado Central Catering",
        "category": "Catering",
        "ownership": "Latinx-owned",
        "certifications": "CERT SBE",
        "area_served": "Twin Cities",
        "website": "https://example.org/mercado",
        "description": "Catering for meetings and celebrations.",
    },
    {
        "name": "Northside Print Co-op",
        "category": "Printing",
        "ownership": "Black-owned; woman-owned",
        "certifications": "MBE, WBE",
        "area_served": "Minneapolis",
        "description": "Posters, programs and badges.",
    },
]
DEMO_PARTNERS = [
    {
        "name": "Community Health Workers Alliance",
        "category": "Health",
        "area_served": "Minnesota",
        "description": "Community health workers who partner on outreach events.",
    },
]

LECTURES = [
    ("Health equity at the bedside: what residents see first", 18),
    ("Recruiting for diversity in GME: what the evidence says", 46),
]


# The catalog's topics (slug, name), in filter order, and which seeded courses (by slug) they tag.
TOPICS = [
    ("bias-and-anti-racism", "Bias and anti-racism"),
    ("communication", "Communication"),
    ("allyship", "Allyship"),
    ("inclusive-leadership", "Inclusive leadership"),
    ("team-culture-and-wellbeing", "Team culture and wellbeing"),
]
COURSE_TOPICS = {
    "implicit-bias": ["bias-and-anti-racism"],
    "bystander-interventions": ["allyship", "communication"],
    "microaggressions-macroaggressions": ["bias-and-anti-racism", "communication"],
    "micro-affirmations-and-allyship": ["allyship", "inclusive-leadership"],
    "cultural-humility": ["bias-and-anti-racism", "communication"],
    "psychological-safety": ["inclusive-leadership", "team-culture-and-wellbeing"],
    "workplace-wellbeing": ["team-culture-and-wellbeing"],
    "dominant-culture": ["bias-and-anti-racism", "inclusive-leadership"],
}


# A mentorship cycle whose enrolment is open, with people enrolled for the coordinator to match.
# (email, full name, role, training level, program slug, career, DEI interests, languages,
#  meeting, availability, capacity for mentors)
MENTORSHIP_PEOPLE = [
    (
        "amara.okafor@belong.test",
        "Amara Okafor",
        "mentee",
        "pgy1",
        "internal-medicine-residency",
        ["academic", "research"],
        ["recruitment", "research"],
        ["en"],
        ["virtual"],
        ["weekday_evening"],
        0,
    ),
    (
        "diego.ramirez@belong.test",
        "Diego Ramírez",
        "mentee",
        "pgy2",
        "internal-medicine-residency",
        ["clinical", "community_practice"],
        ["sdoh", "language_access"],
        ["en", "es"],
        ["in_person"],
        ["weekday_midday"],
        0,
    ),
    (
        "hodan.ali@belong.test",
        "Hodan Ali",
        "mentee",
        "pgy1",
        "pediatrics-residency",
        ["clinical", "advocacy"],
        ["community", "sdoh"],
        ["en", "so"],
        ["virtual", "in_person"],
        ["weekday_evening"],
        0,
    ),
    (
        "kou.vang@belong.test",
        "Kou Vang",
        "mentee",
        "pgy3",
        "pediatrics-residency",
        ["education", "leadership"],
        ["recruitment", "anti_racism"],
        ["en", "hmn"],
        ["virtual"],
        ["weekend"],
        0,
    ),
    (
        "lena.nguyen@belong.test",
        "Lena Nguyen",
        "mentee",
        "pgy2",
        "internal-medicine-residency",
        ["research", "global"],
        ["research", "anti_racism"],
        ["en", "vi"],
        ["virtual"],
        ["weekday_morning"],
        0,
    ),
    (
        "marcus.johnson@belong.test",
        "Marcus Johnson",
        "mentee",
        "pgy1",
        "internal-medicine-residency",
        ["leadership", "advocacy"],
        ["anti_racism", "community"],
        ["en"],
        ["in_person"],
        ["weekday_evening"],
        0,
    ),
    (
        "sofia.hernandez@belong.test",
        "Sofía Hernández",
        "mentee",
        "pgy4",
        "pediatrics-residency",
        ["academic", "education"],
        ["language_access", "recruitment"],
        ["en", "es"],
        ["virtual"],
        ["weekday_evening"],
        0,
    ),
    (
        "ruth.bekele@belong.test",
        "Ruth Bekele",
        "mentor",
        "associate",
        "medicine",
        ["academic", "research"],
        ["research", "recruitment"],
        ["en", "am"],
        ["virtual"],
        ["weekday_evening"],
        2,
    ),
    (
        "carlos.mendoza@belong.test",
        "Carlos Mendoza",
        "mentor",
        "professor",
        "medicine",
        ["clinical", "leadership"],
        ["language_access", "sdoh"],
        ["en", "es"],
        ["in_person", "virtual"],
        ["weekday_midday"],
        3,
    ),
    (
        "grace.lee@belong.test",
        "Grace Lee",
        "mentor",
        "assistant",
        "pediatrics",
        ["education", "advocacy"],
        ["community", "anti_racism"],
        ["en"],
        ["virtual"],
        ["weekday_evening", "weekend"],
        2,
    ),
    (
        "james.whitehorse@belong.test",
        "James Whitehorse",
        "mentor",
        "associate",
        "pediatrics",
        ["community_practice", "clinical"],
        ["community", "sdoh"],
        ["en"],
        ["in_person"],
        ["weekday_morning"],
        1,
    ),
]


class DemoDisabled(Exception):
    pass


def _org_tree():
    units = {}
    for slug, name, kind, parent in ORG_TREE:
        units[slug], _ = OrgUnit.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "parent": units.get(parent)}
        )
    return units


def _people(units):
    made = 0
    for email, full_name, preferred, pronouns, kind, role_names, staff in PEOPLE:
        person = Person.objects.filter(email=email).first()
        if person is not None:
            continue
        person = Person.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=full_name,
            preferred_name=preferred,
            pronouns=pronouns,
            kind=kind,
            is_staff=staff,
            is_superuser=email == "admin@belong.test",
            campus=units["twin-cities"],
            org_unit=units["medicine"],
        )
        person.groups.add(*Group.objects.filter(name__in=role_names))
        made += 1
    return made


def _slot(day_offset, hour, minute, zone):
    today = timezone.localdate()
    day = today + datetime.timedelta(days=day_offset)
    while day.weekday() >= 5:  # weekdays only
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def _sessions(units):
    zone = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    made = 0
    for index, course in enumerate(Course.objects.order_by("order", "pk")):
        upcoming = course.sessions.filter(start__gte=now).count()
        for n in range(upcoming, SESSIONS_PER_COURSE):
            start = _slot(5 + index * 3 + n * 21, 12 if n == 0 else 9, 30 if n == 0 else 0, zone)
            in_person = (index + n) % 2 == 1
            Event.objects.create(
                kind=Event.Kind.SESSION,
                host=course,
                title=course.title,
                start=start,
                end=start + datetime.timedelta(minutes=course.duration_minutes or 90),
                format=Event.Format.IN_PERSON if in_person else Event.Format.VIRTUAL,
                campus=units["duluth" if index % 3 == 2 else "twin-cities"] if in_person else None,
                place="Mayo Memorial Building, room A-110" if in_person else "",
                online_join_details="" if in_person else "The video link is sent to registrants.",
                capacity=30 if in_person else 60,
                minimum=6,
                status=Event.Status.SCHEDULED,
            )
            made += 1
    return made


def _topics():
    """The catalog's topics, and the seeded courses they tag (courses missing are skipped)."""
    made = 0
    topics = {}
    for order, (slug, name) in enumerate(TOPICS, start=1):
        topics[slug], created = Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "order": order}
        )
        made += created
    tagging = Course.topics.through
    for course in Course.objects.filter(slug__in=COURSE_TOPICS):
        for slug in COURSE_TOPICS[course.slug]:
            _, created = tagging.objects.get_or_create(course=course, topic=topics[slug])
            made += created
    return made


def _lectures():
    zone = ZoneInfo(settings.TIME_ZONE)
    series = Series.objects.filter(slug="deans-lecture-series").first()
    if series is None:
        return 0
    made = 0
    for title, offset in LECTURES:
        if Event.objects.filter(series=series, title=title, start__gte=timezone.now()).exists():
            continue
        start = _slot(offset, 12, 0, zone)
        Event.objects.create(
            kind=Event.Kind.LECTURE,
            series=series,
            title=title,
            start=start,
            end=start + datetime.timedelta(hours=1),
            format=Event.Format.HYBRID,
            place="Moos Tower auditorium",
            online_join_details="The stream link is sent to registrants.",
        )
        made += 1
    return made


def _memberships():
    """The demo memberships through the real action (so the monthly counts are kept), and
    enough quiet members of the Latinx collective (leaders only) that its count shows as a
    number rather than "<11"."""
    made = 0
    collectives = {c.slug: c for c in Collective.objects.all()}
    people = {p.email: p for p in Person.objects.filter(email__endswith="@belong.test")}
    wanted = list(MEMBERSHIPS)
    if "latinx" in collectives:
        for number in range(1, QUIET_MEMBERS + 1):
            email = f"member{number:02d}@belong.test"
            if email not in people:
                people[email] = Person.objects.create_user(
                    email=email, password=None, full_name=f"Demo Member {number:02d}"
                )
            wanted.append(("latinx", email, "member", "leaders"))
    for slug, email, kind, visibility in wanted:
        if slug in collectives and email in people:
            if Membership.objects.filter(
                collective=collectives[slug], person=people[email]
            ).exists():
                continue
            membership_actions.join(
                collectives[slug].pk, person=people[email], kind=kind, visibility=visibility
            )
            made += 1
    for slug, email, title in LEADERS:
        if slug in collectives and email in people:
            _, created = LeaderRole.objects.get_or_create(
                collective=collectives[slug], person=people[email], title=title
            )
            made += created
    return made


def _areas(*slugs):
    return list(FocusArea.objects.filter(slug__in=slugs))


def _collective_activity(now=None):
    """A co-hosted event, an announcement, a submitted and an answered recommendation, a
    published anonymous story and the two directories' first entries. Idempotent: each piece
    is looked up by its title first."""
    now = now or timezone.now()
    people = {p.email: p for p in Person.objects.filter(email__endswith="@belong.test")}
    leader, admin = people.get("leader@belong.test"), people.get("dei-admin@belong.test")
    member = people.get("member@belong.test")
    latinx = Collective.objects.filter(slug="latinx").first()
    if not (leader and admin and member and latinx):
        return 0
    made = 0
    zone = ZoneInfo(settings.TIME_ZONE)
    if not Event.objects.filter(title=DEMO_EVENT_TITLE).exists():
        start = _slot(12, 17, 30, zone)
        collective_events.create_collective_event(
            latinx.pk,
            actor=admin,
            cohosts=list(Collective.objects.filter(slug="black-african-american")),
            focus_areas=_areas("cultural-heritage", "member-enrichment"),
            title=DEMO_EVENT_TITLE,
            description="An evening of music, food and conversation across our collectives.",
            start=start,
            end=start + datetime.timedelta(hours=2),
            format=Event.Format.IN_PERSON,
            place="Mayo Memorial Building, room 3-100",
            capacity=60,
            visibility=Event.Visibility.ORGANIZATION,
        )
        made += 1
    if not Announcement.objects.filter(title=DEMO_ANNOUNCEMENT_TITLE).exists():
        announcement_actions.post_announcement(
            latinx.pk,
            actor=leader,
            title=DEMO_ANNOUNCEMENT_TITLE,
            body=(
                "We are looking for **volunteers** to welcome residency applicants on "
                "interview days.\n\n- Share your experience of the Twin Cities\n"
                "- Answer questions about belonging here"
            ),
            audience=Announcement.Audience.PUBLIC,
            focus_areas=_areas("attract-and-recruit-diverse-talent"),
        )
        made += 1
    for title, answered in DEMO_RECOMMENDATIONS:
        if Recommendation.objects.filter(title=title).exists():
            continue
        draft = recommendation_actions.save_draft(
            latinx.pk,
            actor=leader,
            title=title,
            problem="Spanish-speaking patients wait longer for interpreters after 6 pm.",
            proposal="Staff an interpreter on evening shifts in the emergency department.",
            policies="Language access policy",
            focus_areas=_areas("equitable-healthcare"),
        )
        recommendation_actions.submit(draft.pk, actor=leader)
        if answered:
            recommendation_actions.answer(
                draft.pk,
                actor=admin,
                state=Recommendation.State.PARTLY_ADOPTED,
                text="Evening interpreters start in the emergency department this spring.",
            )
        made += 1
    if not Experience.objects.filter(collective=latinx).exists():
        story = experience_actions.share(
            latinx.pk,
            person=member,
            text="A patient's family thanked me for explaining the plan in Spanish.",
            anonymous=True,
            consent_to_publish=True,
        )
        experience_actions.publish(story.pk, actor=leader)
        made += 1
    for model, entries in ((Business, DEMO_BUSINESSES), (Partner, DEMO_PARTNERS)):
        for fields in entries:
            _, created = model.objects.get_or_create(
                name=fields["name"],
                defaults={**fields, "status": model.Status.APPROVED, "reviewed_at": now},
            )
            made += created
    return made


def _training_activity():
    """Facilitators on the demo sessions; alicia (the member) registered for one session, a
    small session already full (so anyone can try its waitlist), and a past session that she
    attended (her transcript, certificate and evaluation). Idempotent: each piece is looked up
    first."""
    people = {p.email: p for p in Person.objects.filter(email__endswith="@belong.test")}
    facilitator = people.get("facilitator@belong.test")
    member = people.get("member@belong.test")
    courses = {c.slug: c for c in Course.objects.all()}
    if facilitator is None or member is None or "implicit-bias" not in courses:
        return 0
    made = 0
    now = timezone.now()
    sessions = Event.objects.filter(kind=Event.Kind.SESSION, start__gte=now)
    for event in sessions.filter(facilitators__isnull=True):
        event.facilitators.add(facilitator)
        made += 1
    implicit_bias = courses["implicit-bias"]
    first = implicit_bias.sessions.filter(start__gte=now).order_by("start").first()
    if first is not None and not first.registrations.filter(person=member).exists():
        event_actions.register(first.pk, person=member)
        made += 1
    made += _full_session(courses, people, now)
    made += _past_session(implicit_bias, member, facilitator, now)
    return made


def _full_session(courses, people, now):
    course = courses.get("psychological-safety")
    if course is None or course.sessions.filter(start__gte=now, capacity=3).exists():
        return 0
    zone = ZoneInfo(settings.TIME_ZONE)
    start = _slot(9, 15, 0, zone)
    event = event_actions.create_event(
        actor=None,
        kind=Event.Kind.SESSION,
        host=course,
        title=course.title,
        start=start,
        end=start + datetime.timedelta(minutes=course.duration_minutes or 90),
        format=Event.Format.IN_PERSON,
        campus=OrgUnit.objects.filter(slug="twin-cities").first(),
        place="Phillips-Wangensteen Building, room 2-540 (small group)",
        capacity=3,
        minimum=3,
    )
    for email in ("leader@belong.test", "analyst@belong.test", "mentorship@belong.test"):
        if email in people:
            event_actions.register(event.pk, person=people[email])
    return 1


def _past_session(course, member, facilitator, now):
    if course.sessions.filter(start__lt=now, registrations__person=member).exists():
        return 0
    zone = ZoneInfo(settings.TIME_ZONE)
    # Within the evaluation window (BELONG_EVALUATION_WINDOW_DAYS): her invitation still works.
    start = _slot(-5, 12, 0, zone)
    while start > now:  # _slot moves weekends forward; a past session must stay past
        start -= datetime.timedelta(days=7)
    event = Event.objects.create(
        kind=Event.Kind.SESSION,
        host=course,
        title=course.title,
        start=start,
        end=start + datetime.timedelta(minutes=course.duration_minutes or 90),
        format=Event.Format.VIRTUAL,
        capacity=40,
        minimum=6,
        status=Event.Status.COMPLETED,
    )
    event.facilitators.add(facilitator)
    Registration.objects.create(
        event=event,
        person=member,
        state=Registration.State.ATTENDED,
        requested_at=start - datetime.timedelta(days=10),
        created_at=start - datetime.timedelta(days=10),
        attendance_marked_at=event.end,
    )
    return 1


# Ambassadors for applicants: (email, name, kind, program slug, interests, introduction, show name)
AMBASSADORS = [
    (
        "diego.ramirez@belong.test",
        "Diego Ramírez",
        "resident",
        "internal-medicine-residency",
        ["community", "language_access"],
        "PGY-2. Ask me about serving Spanish-speaking patients.",
        True,
    ),
    (
        "ruth.bekele@belong.test",
        "Ruth Bekele",
        "faculty",
        "internal-medicine-residency",
        ["recruitment", "research"],
        "Faculty in internal medicine; I sit on no selection committee.",
        False,
    ),
]


def _ambassadors(units):
    from belong.mentorship.actions import connections
    from belong.mentorship.models import Ambassador

    made = 0
    for email, name, kind, unit, interests, introduction, show_name in AMBASSADORS:
        person = Person.objects.filter(email=email).first() or Person.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=name,
            kind=kind,
            campus=units["twin-cities"],
            org_unit=units.get(unit),
        )
        if Ambassador.objects.filter(person=person).exists():
            continue
        connections.volunteer(
            person,
            programs=[units[unit]],
            interests=interests,
            introduction=introduction,
            show_name=show_name,
            monthly_limit=2,
            active=True,
        )
        made += 1
    return made


# Two demo people who self-identified and consented to mentorship matching: Hodan asks for a
# mentor who is also first generation in medicine, and James is. (Demo only: invented people.)
DEMO_SELF_IDENTIFICATION = {
    "hodan.ali@belong.test": {"first_generation": {"values": ["college", "medicine"]}},
    "james.whitehorse@belong.test": {"first_generation": {"values": ["medicine"]}},
}
DEMO_IDENTITY_WISH = {"hodan.ali@belong.test": ["first_generation"]}


def _self_identify(person):
    answers = DEMO_SELF_IDENTIFICATION.get(person.email)
    if answers:
        privacy.save_answers(person=person, answers=answers)
        privacy.give(person=person, purpose=Consent.Purpose.MATCHING)


def _mentorship(units, today=None):
    """An open cycle (enrolment from two weeks ago to two weeks ahead) with the demo residents
    enrolled as mentees and faculty as mentors, through the real action. Alicia (the demo
    member) is not enrolled: she can try it."""
    today = today or timezone.localdate()
    cycle = Cycle.objects.order_by("pk").first()
    if cycle is None:
        coordinator = Person.objects.filter(email="mentorship@belong.test").first()
        cycle = mentorship_actions.create_cycle(
            actor=coordinator,
            title=f"{today.year}-{today.year + 1} mentorship cycle",
            academic_year=f"{today.year}-{today.year + 1}",
            enrolment_opens_on=today - datetime.timedelta(days=14),
            enrolment_closes_on=today + datetime.timedelta(days=14),
            matching_on=today + datetime.timedelta(days=21),
            mode=Cycle.Mode.OPTIMAL,
            min_score=1,
        )
    made = _ambassadors(units)
    if not cycle.enrolment_open(today):
        return made
    for (
        email,
        name,
        role,
        level,
        unit,
        career,
        dei,
        languages,
        meeting,
        availability,
        capacity,
    ) in MENTORSHIP_PEOPLE:
        kind = "faculty" if role == "mentor" else "resident"
        person = Person.objects.filter(email=email).first() or Person.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=name,
            kind=kind,
            campus=units["twin-cities"],
            org_unit=units.get(unit),
        )
        if Enrollment.objects.filter(cycle=cycle, person=person, role=role).exists():
            continue
        _self_identify(person)
        wish = DEMO_IDENTITY_WISH.get(email, [])
        mentorship_actions.enrol(
            cycle.pk,
            person=person,
            role=role,
            today=today,
            training_level=level,
            program=units.get(unit),
            campus=units["twin-cities"],
            career_interests=career,
            dei_interests=dei,
            languages=languages,
            meeting=meeting,
            availability=availability,
            capacity=capacity,
            weights={"dei": 3, "languages": 2} if role == "mentee" else {},
            shared_identity=wish,
            identity_weight=2 if wish else 0,
        )
        made += 1
    return made


# An invented workforce for the dashboards (/insights/): people who cannot sign in, with
# self-identification drawn at random (a fixed seed) and most of them consenting to aggregate
# reporting, so that the figures have groups of more than ten to show.
WORKFORCE_SIZE = {"staff": 170, "faculty": 90, "resident": 110, "fellow": 30}
RACES = [
    (["white"], 58),
    (["black_african_american"], 12),
    (["asian"], 10),
    (["hispanic_latino"], 5),
    (["hispanic_latino", "white"], 4),
    (["american_indian_alaska_native"], 2),
    (["asian", "white"], 3),
    (["middle_eastern_north_african"], 2),
]
GENDERS = [(["woman"], 55), (["man"], 41), (["non_binary"], 3), (["woman", "transgender"], 1)]


def _workforce(units):
    import random

    from belong.people.models import Consent, SelfIdentification

    if Person.objects.filter(email__startswith="workforce.").exists():
        return 0
    rng = random.Random(2026)  # noqa: S311 (invented demo data, not a secret)
    programs = [units["internal-medicine-residency"], units["pediatrics-residency"]]
    people = []
    for kind, count in WORKFORCE_SIZE.items():
        for n in range(count):
            unit = programs[n % 2] if kind in ("resident", "fellow") else None
            people.append(
                Person(
                    email=f"workforce.{kind}.{n}@belong.test",
                    full_name=f"Demo {kind.title()} {n}",
                    kind=kind,
                    org_unit=unit,
                    campus=units["twin-cities"],
                    password="!demo-cannot-sign-in",  # noqa: S106 (an unusable password)
                )
            )
    Person.objects.bulk_create(people)
    people = list(Person.objects.filter(email__startswith="workforce."))

    def draw(choices):
        values, weights = zip(*choices, strict=True)
        return rng.choices(values, weights=weights)[0]

    answers, consents = [], []
    for person in people:
        if rng.random() < 0.1:
            continue  # one in ten does not answer
        race = {"prefer_not": True} if rng.random() < 0.04 else {"values": draw(RACES)}
        answers.append(
            SelfIdentification(
                person=person,
                answers={"race_ethnicity": race, "gender_identity": {"values": draw(GENDERS)}},
            )
        )
        if rng.random() < 0.85:
            consents.append(Consent(person=person, purpose=Consent.Purpose.REPORTING))
    SelfIdentification.objects.bulk_create(answers)
    Consent.objects.bulk_create(consents)
    today = timezone.localdate()
    Certificate.objects.bulk_create(
        Certificate(
            person=person,
            kind=Certificate.Kind.FOUNDATIONAL,
            code=f"DEMO{person.pk:06d}",
            completed_on=today - datetime.timedelta(days=rng.randint(0, 360)),
        )
        for person in people
        if rng.random() < 0.45
    )
    return len(people)


DEMO_RESOURCES = [
    (
        "Holistic review in residency selection: a starting checklist",
        "Invented for the demo: how a program can weigh experiences, attributes and metrics "
        "together, and train its reviewers before the season.",
        ["holistic_review", "recruiting"],
    ),
    (
        "Structured interviews that reduce bias",
        "Invented for the demo: the same questions for every applicant, anchored rating scales, "
        "and interviewers who score before they talk.",
        ["interviewing"],
    ),
    (
        "Keeping faculty who belong to groups underrepresented in medicine",
        "Invented for the demo: sponsorship, protected time for mentoring, and an honest look "
        "at the minority tax.",
        ["retention", "mentoring"],
    ),
]


def _resources():
    from belong.library import resources
    from belong.library.models import Resource

    if Resource.objects.exists():
        return 0
    coordinator = Person.objects.get(email="mentorship@belong.test")
    for title, summary, tags in DEMO_RESOURCES:
        suggested = resources.suggest(
            person=coordinator,
            title=title,
            summary=summary,
            tags=tags,
            link="https://example.org/belong-demo",
        )
        resources.curate(suggested.pk, actor=coordinator, state="published")
    return len(DEMO_RESOURCES)


def _stewards():
    """The demo DEI administrator stewards the policies that have no steward."""
    from belong.library.models import Policy

    steward = Person.objects.get(email="dei-admin@belong.test")
    return Policy.objects.filter(steward=None).update(steward=steward)


def _initiative():
    """A health-disparities initiative with a year of monthly values (invented), led by the
    demo DEI administrator."""
    from decimal import Decimal

    from belong.insights import initiatives
    from belong.insights.models import Initiative

    if Initiative.objects.exists():
        return 0
    lead = Person.objects.get(email="dei-admin@belong.test")
    initiative = initiatives.create_initiative(
        actor=lead,
        title="Blood pressure control for Somali-speaking patients",
        lead=lead,
        unit=None,
        disparity=(
            "Hypertension is controlled less often among Somali-speaking adults than among "
            "English-speaking adults in our primary care clinics."
        ),
        population="Adults with hypertension seen in primary care, Twin Cities campus",
        status=Initiative.Status.ACTIVE,
    )
    metric = initiatives.add_metric(
        initiative,
        actor=lead,
        name="Blood pressure under control",
        unit="%",
        direction="higher",
        baseline=Decimal("48"),
        target=Decimal("65"),
        target_on=timezone.localdate().replace(month=12, day=31),
    )
    first = timezone.localdate().replace(day=1)
    for n, value in enumerate(["48.2", "49.0", "50.4", "49.8", "52.1", "53.5", "55.0", "56.2"]):
        month = first
        for _back in range(7 - n):
            month = (month - datetime.timedelta(days=1)).replace(day=1)
        initiatives.record(metric, actor=lead, observed_on=month, value=Decimal(value))
    return 1


@transaction.atomic
def load_demo():
    if not settings.DEMO:
        raise DemoDisabled("Demo data is loaded only when BELONG_DEMO is on.")
    units = _org_tree()
    made = {
        "people": _people(units),
        "sessions": _sessions(units),
        "topics and course topics": _topics(),
        "lectures": _lectures(),
        "memberships and leader roles": _memberships(),
        "training activity": _training_activity(),
        "collective activity": _collective_activity(),
        "mentorship enrolments": _mentorship(units),
        "an invented workforce for the dashboards": _workforce(units),
        "a health-disparities initiative": _initiative(),
        "policy stewards": _stewards(),
        "clearinghouse resources": _resources(),
    }
    made["releases (so that the dashboards show figures)"] = _first_release()
    return made


def _first_release():
    """The scheduled release of this period, unless one exists: `make run` shows figures."""
    from belong.insights import cutting
    from belong.insights.models import Release

    if Release.objects.exists():
        return 0
    return 1 if cutting.cut_scheduled() is not None else 0
