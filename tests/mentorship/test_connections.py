"""Applicant connections: an applicant without an account asks for a conversation and confirms
the address; the request goes to an ambassador with room (same program first), who accepts
(and only then gets the applicant's details) or declines (it goes on); a coordinator routes
what waits; nobody else sees a request; requests are deleted after their season."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from belong.home import periodic
from belong.mentorship.actions import connections
from belong.mentorship.models import Ambassador, ApplicantRequest
from belong.notifications.models import OutboundMessage
from belong.people.models import OrgUnit
from tests.builders import make_person

pytestmark = pytest.mark.django_db
State = ApplicantRequest.State


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def programs(db):
    return {
        slug: OrgUnit.objects.create(slug=slug, name=name, kind="program")
        for slug, name in [("im", "Internal Medicine Residency"), ("peds", "Pediatrics Residency")]
    }


def ambassador(email, name, kind, programs=(), **fields):
    person = make_person(email, name)
    person.kind = kind
    person.save(update_fields=["kind"])
    defaults = {
        "interests": ["recruitment"],
        "introduction": "",
        "show_name": False,
        "monthly_limit": 2,
        "active": True,
    }
    return connections.volunteer(person, programs=programs, **{**defaults, **fields})


def ask(client, **changes):
    data = {
        "name": "Ana Applicant",
        "email": "ana@applicant.example",
        "program": "",
        "interests": ["recruitment"],
        "message": "I would love to hear about community work.",
        **changes,
    }
    return client.post("/mentorship/connect/", data)


def token_from_mail():
    body = OutboundMessage.objects.get(subject__contains="Confirm").body_text
    return re.search(r"/mentorship/connect/verify/([^/]+)/", body).group(1)


def test_an_applicant_asks_confirms_and_an_ambassador_accepts(client, programs):
    rosa = ambassador(
        "rosa@example.org", "Rosa Resident", "resident", [programs["peds"]], show_name=True
    )
    ambassador("ivan@example.org", "Ivan Internist", "faculty", [programs["im"]])
    response = ask(client, program=programs["peds"].pk)
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    request = ApplicantRequest.objects.get()
    assert request.state == State.UNVERIFIED and not OutboundMessage.objects.filter(
        to_email="rosa@example.org"
    )
    token = token_from_mail()
    assert (
        "Confirm my request" in client.get(f"/mentorship/connect/verify/{token}/").content.decode()
    )
    request.refresh_from_db()
    assert request.state == State.UNVERIFIED  # a link scanner's GET verifies nothing
    assert client.post(f"/mentorship/connect/verify/{token}/").status_code == 200
    request.refresh_from_db()
    assert (request.state, request.ambassador) == (State.OFFERED, rosa)  # the same program
    offer = OutboundMessage.objects.get(to_email="rosa@example.org")
    assert "Ana" not in offer.body_text and "ana@applicant.example" not in offer.body_text
    assert "Pediatrics Residency" in offer.body_text

    client.force_login(rosa.person)
    page = client.get("/mentorship/ambassador/").content.decode()
    assert "An applicant asks for a conversation" in page and "Ana Applicant" not in page
    client.post(f"/mentorship/ambassador/requests/{request.pk}/", {"answer": "accept"})
    request.refresh_from_db()
    assert request.state == State.ACCEPTED
    page = client.get("/mentorship/ambassador/").content.decode()
    assert "Ana Applicant" in page and "ana@applicant.example" in page
    details = OutboundMessage.objects.get(to_email="rosa@example.org", subject__contains="Ana")
    assert "ana@applicant.example" in details.body_text and details.private
    told = OutboundMessage.objects.get(to_email="ana@applicant.example", subject__contains="soon")
    assert "Rosa Resident" in told.body_text


def test_a_declined_request_goes_on_then_waits_for_the_coordinator(client, programs, erin):
    first = ambassador("rosa@example.org", "Rosa Resident", "resident", [programs["im"]])
    second = ambassador("ivan@example.org", "Ivan Internist", "faculty")
    ask(client, program=programs["im"].pk)
    client.post(f"/mentorship/connect/verify/{token_from_mail()}/")
    request = ApplicantRequest.objects.get()
    assert request.ambassador == first
    connections.answer(request.pk, person=first.person, accept=False)
    request.refresh_from_db()
    assert (request.state, request.ambassador) == (State.OFFERED, second)
    connections.answer(request.pk, person=second.person, accept=False)
    request.refresh_from_db()
    assert (request.state, request.ambassador) == (State.WAITING, None)

    third = ambassador("tess@example.org", "Tess Teacher", "faculty")
    client.force_login(erin)
    page = client.get("/mentorship/manage/connections/").content.decode()
    assert "Waiting for an ambassador" in page and "Internal Medicine Residency" in page
    assert "Ana" not in page and "ana@applicant.example" not in page
    response = client.post(
        f"/mentorship/manage/connections/{request.pk}/route/",
        {f"r{request.pk}-ambassador": third.pk},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.ambassador) == (State.OFFERED, third)


def test_an_ambassador_gets_no_more_than_their_monthly_limit(client, programs):
    rosa = ambassador("rosa@example.org", "Rosa Resident", "resident", monthly_limit=1)
    for number in range(2):
        connections.request_conversation(
            name=f"Applicant {number}",
            email=f"a{number}@applicant.example",
            program=None,
            interests=[],
            message="",
        )
    tokens = []
    for message in OutboundMessage.objects.filter(subject__contains="Confirm").order_by("pk"):
        tokens.append(re.search(r"/verify/([^/]+)/", message.body_text).group(1))
    for token in tokens:
        connections.verify(token)
    states = sorted(ApplicantRequest.objects.values_list("state", flat=True))
    assert states == [State.OFFERED, State.WAITING]
    assert ApplicantRequest.objects.get(state=State.OFFERED).ambassador == rosa


def test_only_the_ambassador_concerned_answers(client, programs, dave):
    rosa = ambassador("rosa@example.org", "Rosa Resident", "resident")
    ask(client)
    client.post(f"/mentorship/connect/verify/{token_from_mail()}/")
    request = ApplicantRequest.objects.get()
    client.force_login(dave)
    response = client.post(f"/mentorship/ambassador/requests/{request.pk}/", {"answer": "accept"})
    assert response.status_code == 404
    assert "Ana Applicant" not in client.get("/mentorship/ambassador/").content.decode()
    request.refresh_from_db()
    assert request.state == State.OFFERED and request.ambassador == rosa


def test_links_that_are_unknown_used_or_expired_are_refused(client, programs):
    ask(client)
    token = token_from_mail()
    assert client.post("/mentorship/connect/verify/not-a-token/").status_code == 404
    ApplicantRequest.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert client.post(f"/mentorship/connect/verify/{token}/").status_code == 404
    assert ApplicantRequest.objects.get().state == State.UNVERIFIED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not an address"}, "email"),
        ({"name": ""}, "name"),
        ({"interests": ["x"]}, "interests"),
    ],
)
def test_a_bad_request_names_its_field_and_stores_nothing(client, programs, changes, field):
    response = ask(client, **changes)
    assert response.status_code == 400
    assert f'href="#id_{field}' in response.content.decode()
    assert not ApplicantRequest.objects.exists() and not OutboundMessage.objects.exists()


def test_requests_are_rate_limited(client, programs):
    for _number in range(3):
        assert ask(client).status_code == 200
    response = ask(client)
    assert response.status_code == 429 and "Retry-After" in response
    assert ApplicantRequest.objects.count() == 3


def test_only_residents_fellows_and_faculty_volunteer(client, alice, programs):
    client.force_login(alice)  # staff by default
    response = client.post(
        "/mentorship/ambassador/",
        {"interests": ["recruitment"], "monthly_limit": "2", "active": "on"},
    )
    assert response.status_code == 403 and not Ambassador.objects.exists()
    alice.kind = "resident"
    alice.save(update_fields=["kind"])
    response = client.post(
        "/mentorship/ambassador/",
        {
            "programs": [programs["im"].pk],
            "interests": ["recruitment"],
            "monthly_limit": "3",
            "introduction": "PGY-2, happy to talk about Minneapolis.",
            "active": "on",
        },
    )
    assert response.status_code == 302
    listed = client.get("/mentorship/connect/").content.decode()
    assert "PGY-2, happy to talk about Minneapolis." in listed
    assert "Alice" not in listed  # she did not choose to show her name


def test_coordinators_only_on_the_coordinators_page(client, alice, erin):
    client.force_login(alice)
    assert client.get("/mentorship/manage/connections/").status_code == 403
    client.force_login(erin)
    assert client.get("/mentorship/manage/connections/").status_code == 200


def test_requests_are_deleted_after_their_season(client, programs):
    ask(client)
    ask(client, email="ben@applicant.example")
    ApplicantRequest.objects.filter(email="ben@applicant.example").update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert connections.purge() == 1
    ApplicantRequest.objects.update(
        state=State.ACCEPTED, created_at=timezone.now() - datetime.timedelta(days=181)
    )
    assert "applicant_requests" in periodic.JOBS
    periodic.JOBS["applicant_requests"]()
    assert not ApplicantRequest.objects.exists()
