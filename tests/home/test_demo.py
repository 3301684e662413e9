import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from belong.collectives.models import LeaderRole, Membership
from belong.events.models import Event
from belong.home.demo import DEMO_PASSWORD, PEOPLE
from belong.people import roles
from belong.people.models import OrgUnit, Person
from belong.training.models import Course

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Person.objects.values_list("email", "password")),
        sorted(Event.objects.values_list("title", "start", "host_id")),
        sorted(Membership.objects.values_list("person_id", "collective_id", "kind", "visibility")),
        sorted(LeaderRole.objects.values_list("person_id", "collective_id", "title")),
        sorted(OrgUnit.objects.values_list("slug", "parent__slug")),
    )


def test_demo_needs_the_setting(settings, content):
    settings.DEMO = False
    with pytest.raises(CommandError, match="BELONG_DEMO"):
        call_command("load_demo", verbosity=0)
    assert not Person.objects.exists()


def test_demo_has_one_person_per_role_and_sessions_of_every_course(settings, content):
    settings.DEMO = True
    call_command("load_demo", verbosity=0)
    for role_name in [
        roles.FACILITATOR,
        roles.TRAINING_COORDINATOR,
        roles.MENTORSHIP_COORDINATOR,
        roles.DEI_ADMINISTRATOR,
        roles.ANALYST,
    ]:
        assert Person.objects.filter(groups__name=role_name).exists(), role_name
    assert LeaderRole.objects.exists()
    assert Membership.objects.filter(visibility=Membership.Visibility.LEADERS).exists()
    for email, *_ in PEOPLE:
        assert Person.objects.get(email=email).check_password(DEMO_PASSWORD)
    now = timezone.now()
    for course in Course.objects.all():
        assert course.sessions.filter(start__gte=now).count() >= 2, course.slug
    assert Event.objects.filter(kind=Event.Kind.LECTURE, start__gte=now).exists()


def test_demo_twice_changes_nothing(settings, content):
    settings.DEMO = True
    call_command("load_demo", verbosity=0)
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


def test_demo_people_can_sign_in(client, settings, content):
    settings.DEMO = True
    call_command("load_demo", verbosity=0)
    response = client.post(
        "/sign-in/", {"username": "member@belong.test", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_demo_gives_the_collectives_something_to_show(client, settings, content):
    from belong.collectives.models import (
        Business,
        EventHosting,
        Experience,
        MembershipCount,
        Recommendation,
    )

    settings.DEMO = True
    call_command("load_demo", verbosity=0)
    latinx = "latinx"
    hosts = EventHosting.objects.filter(event__title__startswith="Heritage night")
    assert {h.collective.slug for h in hosts} == {latinx, "black-african-american"}
    assert Recommendation.objects.filter(state="partly_adopted").count() == 1
    assert Recommendation.objects.filter(state="submitted").count() == 1
    story = Experience.objects.get(collective__slug=latinx)
    assert story.state == "published" and story.person is None
    assert Business.objects.filter(status="approved").count() == 2
    count = MembershipCount.objects.get(collective__slug=latinx)
    assert count.members >= 11  # shown as a number, not "<11"
    visitor_page = client.get("/collectives/latinx/").content.decode()
    assert "Heritage night" not in visitor_page  # for the organization: signed-in people
    client.force_login(Person.objects.get(email="member@belong.test"))
    page = client.get("/collectives/latinx/").content.decode()
    assert "Heritage night" in page and "Volunteers for residency interview days" in page


def test_demo_has_a_mentorship_cycle_open_with_people_to_match(settings, content):
    from belong.mentorship.models import Cycle, Enrollment

    settings.DEMO = True
    call_command("load_demo", verbosity=0)
    cycle = Cycle.objects.get()
    assert cycle.enrolment_open(timezone.localdate())
    mentees = Enrollment.objects.filter(cycle=cycle, role="mentee")
    mentors = Enrollment.objects.filter(cycle=cycle, role="mentor")
    assert mentees.count() >= 6 and mentors.count() >= 3
    assert sum(m.capacity for m in mentors) >= mentees.count()
    assert not Enrollment.objects.filter(person__email="member@belong.test").exists()
    call_command("load_demo", verbosity=0)
    assert Enrollment.objects.filter(cycle=cycle).count() == mentees.count() + mentors.count()


def test_demo_matching_uses_a_consented_shared_aspect_of_identity(settings, content):
    """Hodan asked for a mentor who is also first generation; James is, and both consented:
    the demo run pairs them on it. The reasons do not say so: James has a single aspect on that
    question, so "you share an aspect of identity" would tell him Hodan's answer."""
    from belong.mentorship.actions import matchmaking
    from belong.mentorship.models import Cycle
    from belong.people.models import Person

    settings.DEMO = True
    call_command("load_demo", verbosity=0)
    coordinator = Person.objects.get(email="mentorship@belong.test")
    run = matchmaking.run(Cycle.objects.get().pk, actor=coordinator)
    proposal = run.proposals.get(mentee__person__email="hodan.ali@belong.test")
    assert proposal.mentor.person.email == "james.whitehorse@belong.test"
    assert proposal.reasons and all(r["factor"] != "identity" for r in proposal.reasons)


def test_demo_cuts_a_first_release_so_that_the_dashboards_show_figures(client, settings, content):
    from belong.insights.models import Release

    settings.DEMO = True
    call_command("load_demo", verbosity=0)
    assert Release.objects.count() == 1
    call_command("load_demo", verbosity=0)
    assert Release.objects.count() == 1  # once
    client.force_login(Person.objects.get(email="analyst@belong.test"))
    html = client.get("/insights/representation/").content.decode()
    assert "No figures have been published yet." not in html and "As of" in html
    latinx = client.get("/collectives/latinx/").content.decode()
    assert "not published yet" not in latinx and "As of" in latinx
