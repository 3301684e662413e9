"""Each page x each role x the expected status. Public pages answer everyone; personal pages
send visitors to sign in; the Django admin is for staff accounts only."""

import pytest
from django.contrib.auth.models import Group

from belong.people import roles

PUBLIC = [
    "/",
    "/collectives/",
    "/collectives/latinx/",
    "/training/",
    "/training/implicit-bias/",
    "/lectures/",
    "/mentorship/",
    "/resources/",
    "/resources/policies/medical-school-diversity-statement/",
    "/sign-in/",
    "/password-reset/",
    "/healthz",
    "/api/v1/collectives",
    "/api/v1/courses",
    "/api/v1/events",
]
PERSONAL = [
    "/me/",
    "/me/profile/",
    "/me/tokens/",
    "/me/privacy/",
    "/api/v1/me",
    "/api/v1/me/self-identification",
]
# For analysts and leadership, and DEI administrators (403 for everyone else signed in).
INSIGHTS = [
    "/insights/",
    "/insights/representation/",
    "/insights/representation/race.csv",
    "/insights/training/",
    "/insights/training/attendance.xlsx",
    "/insights/collectives/",
    "/insights/mentorship/",
]
ROLES = [
    "visitor",
    "member",
    "leader",
    "facilitator",
    "coordinator",
    "mentorship",
    "admin",
    "analyst",
]
ROLE_GROUPS = {
    "facilitator": [roles.FACILITATOR],
    "coordinator": [roles.TRAINING_COORDINATOR],
    "mentorship": [roles.MENTORSHIP_COORDINATOR],
    "admin": [roles.DEI_ADMINISTRATOR],
    "analyst": [roles.ANALYST],
}


def expected(path, role):
    if path in PUBLIC:
        return 302 if path == "/sign-in/" and role != "visitor" else 200
    if role == "visitor":
        return 401 if path.startswith("/api/") else 302
    if path in INSIGHTS:
        return 200 if role in ("analyst", "admin") else 403
    return 200


CASES = [(path, role) for path in PUBLIC + PERSONAL + INSIGHTS for role in ROLES]


@pytest.fixture
def as_role(client, db, content):
    from belong.people.models import Person

    def sign_in(role):
        if role == "visitor":
            return client
        person = Person.objects.create_user(
            email=f"{role}@example.org", password="x" * 12, full_name=role.title()
        )
        person.groups.add(*Group.objects.filter(name__in=ROLE_GROUPS.get(role, [])))
        if role == "leader":
            from belong.collectives.models import Collective, LeaderRole

            LeaderRole.objects.create(person=person, collective=Collective.objects.first())
        client.force_login(person)
        return client

    return sign_in


@pytest.mark.parametrize(("path", "role"), CASES)
def test_page_answers_each_role_as_expected(as_role, path, role):
    if path.endswith((".csv", ".xlsx")):
        from tests.builders import cut_release

        cut_release()  # a download is of a published figure: none before the first release
    response = as_role(role).get(path)
    assert response.status_code == expected(path, role), (path, role)


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_staff_accounts_only(as_role, role):
    response = as_role(role).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_opens_for_a_staff_dei_administrator(client, frank, content):
    frank.is_staff = True
    frank.save(update_fields=["is_staff"])
    assert client.get("/admin/").status_code == 302  # not signed in yet
    client.force_login(frank)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/collectives/collective/").status_code == 200
    assert client.get("/admin/training/course/").status_code == 200
    # memberships and shared experiences are private: the admin has no page for them at all
    # (not even for a superuser)
    assert client.get("/admin/collectives/membership/").status_code == 404
    assert client.get("/admin/collectives/experience/").status_code == 404
    frank.is_superuser = True
    frank.save(update_fields=["is_superuser"])
    assert client.get("/admin/collectives/membership/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/collectives/no-such-collective/",
        "/training/no-such-course/",
        "/resources/policies/no-such-policy/",
        "/no-such-page/",
    ],
)
def test_unknown_slugs_are_404(client, content, path):
    assert client.get(path).status_code == 404
