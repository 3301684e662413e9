"""/me/privacy/download/: everything Belong holds on a person, as one JSON file for its owner;
every foreign key to a person in any app has a decision (exported, or why not); what others
said in confidence about the person is never in it."""

import json

import pytest
from django.apps import apps
from django.utils import timezone

from belong.collectives.actions import memberships
from belong.collectives.models import Collective
from belong.mentorship.actions import cycles as mentorship_actions
from belong.people import actions, personal_data, privacy
from belong.people.models import AuditEvent, Person
from tests.builders import open_cycle

pytestmark = pytest.mark.django_db

URL = "/me/privacy/download/"


def person_fields():
    """Every foreign key, one-to-one and many-to-many to a person, in Belong's apps."""
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("belong."):
            continue
        for field in model._meta.get_fields():
            relation = field.many_to_one or field.one_to_one or field.many_to_many
            if relation and field.concrete and field.related_model is Person:
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_link_to_a_person_is_decided():
    decided = personal_data.decisions()
    assert person_fields() - set(decided) == set()
    assert set(decided) - person_fields() == set()  # nothing stale either
    for field, decision in decided.items():
        assert decision.startswith(("exported", "not exported: ")), field


def test_anonymous_and_wrong_method(client, alice):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    client.force_login(alice)
    assert client.post(URL).status_code == 405


def test_the_download_holds_the_persons_data_and_nothing_confidential_of_others(
    client, alice, bob, erin
):
    privacy.save_answers(
        person=alice, answers={"race_ethnicity": {"values": ["asian"], "self_description": "Hmong"}}
    )
    privacy.give(person=alice, purpose="reporting")
    token, secret = actions.create_token(person=alice, name="calendar script")
    collective = Collective.objects.create(slug="rainbow", name="Rainbow Collective")
    memberships.join(collective.pk, person=alice, kind="ally", visibility="leaders")
    cycle = open_cycle(erin)
    today = timezone.localdate()
    mentorship_actions.enrol(
        cycle.pk, person=alice, role="mentee", today=today, training_level="pgy1", hopes="Grow"
    )
    # Bob, confidentially, does not want to be matched with Alice.
    mentorship_actions.enrol(
        cycle.pk,
        person=bob,
        role="mentor",
        today=today,
        training_level="associate",
        capacity=1,
        excluded=[alice],
    )

    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="belong-')
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["profile"]["email"] == "alice@example.org"
    assert data["account"]["self_identification"]["answers"]["race_ethnicity"] == {
        "values": ["asian"],
        "self_description": "Hmong",
    }
    assert [c["use"] for c in data["account"]["consents"]] == ["reporting"]
    assert data["account"]["api_tokens"][0]["name"] == "calendar script"
    assert data["collectives"]["memberships"] == [
        {
            "collective": collective.name,
            "as": "ally",
            "who_may_see_it": "leaders",
            "joined": data["collectives"]["memberships"][0]["joined"],
        }
    ]
    (enrolment,) = data["mentorship"]["enrolments"]
    assert enrolment["role"] == "mentee" and enrolment["hopes"] == "Grow"
    text = response.content.decode()
    assert secret not in text and token.digest not in text
    assert "bob@example.org" not in text  # Bob's exclusion is his and the coordinator's
    assert AuditEvent.objects.filter(actor=alice, verb="personal_data.downloaded").exists()


def test_a_download_is_only_ever_of_the_signed_in_person(client, alice, bob):
    privacy.save_answers(person=bob, answers={"disability": {"values": ["yes"]}})
    client.force_login(alice)
    data = json.loads(client.get(URL).content)
    assert data["account"]["profile"]["email"] == "alice@example.org"
    assert data["account"]["self_identification"]["answers"] == {}
    assert "bob@example.org" not in json.dumps(data)
