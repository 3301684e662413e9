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
