"""/me/privacy/: self-identification sealed at rest and shown to its owner only; consents
recorded with their dates and revocable at once; erasure; the rules of the answers."""

import re

import pytest
from django.contrib import admin
from django.db import connection

from belong.people import identity, privacy
from belong.people.models import AuditEvent, Consent, SelfIdentification

pytestmark = pytest.mark.django_db

URL = "/me/privacy/"
CONSENT = "/me/privacy/consent/"
ERASE = "/me/privacy/erase/"

ANSWERS = {
    "race_ethnicity": ["black_african_american", "hispanic_latino"],
    "race_ethnicity_self": "Afro-Dominican",
    "gender_identity": ["non_binary"],
    "sexual_orientation_prefer_not": "on",
    "disability": "yes",
    "first_generation": ["medicine"],
}


def raw_answers_column(person):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT answers FROM people_selfidentification WHERE person_id = %s", [person.pk]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def test_anonymous_is_sent_to_sign_in(client, alice):
    for response in (client.get(URL), client.post(URL, ANSWERS), client.post(ERASE)):
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
    response = client.post(CONSENT, {"purpose": "matching", "change": "give"})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert not SelfIdentification.objects.exists() and not Consent.objects.exists()


def test_wrong_methods(client, alice):
    client.force_login(alice)
    assert client.put(URL).status_code == 405
    assert client.get(CONSENT).status_code == 405
    assert client.get(ERASE).status_code == 405


def test_saved_answers_are_sealed_in_the_database_and_shown_to_their_owner(client, alice):
    client.force_login(alice)
    response = client.post(URL, ANSWERS)
    assert response.status_code == 302
    stored = privacy.answers_of(alice)
    assert stored == {
        "race_ethnicity": {
            "values": ["black_african_american", "hispanic_latino"],
            "self_description": "Afro-Dominican",
        },
        "gender_identity": {"values": ["non_binary"]},
        "sexual_orientation": {"prefer_not": True},
        "disability": {"values": ["yes"]},
        "first_generation": {"values": ["medicine"]},
    }
    raw = raw_answers_column(alice)
    assert raw.startswith("gAAAAA")  # a Fernet token
    for plain in ("black", "hispanic", "Afro", "non_binary", "prefer_not", "race", "medicine"):
        assert plain not in raw
    html = client.get(URL).content.decode()
    assert 'value="Afro-Dominican"' in html
    assert 'value="non_binary"' in html and "checked" in html


def test_nobody_else_sees_the_answers(client, alice, frank, erin, grace):
    privacy.save_answers(
        person=alice,
        answers={"race_ethnicity": {"values": ["asian"], "self_description": "Hmong American"}},
    )
    for other in (frank, erin, grace):
        client.force_login(other)
        html = client.get(URL).content.decode()
        assert "Hmong American" not in html
        assert not re.search(r'value="[^"]+"[^>]*checked', html)  # nothing but "No answer"
    # Not in the admin, for anyone.
    assert SelfIdentification not in admin.site._registry
    assert Consent not in admin.site._registry


def test_a_dump_of_the_database_holds_the_sealed_token_only(alice):
    from io import StringIO

    from django.core.management import call_command

    privacy.save_answers(person=alice, answers={"gender_identity": {"values": ["woman"]}})
    out = StringIO()
    call_command("dumpdata", "people.selfidentification", stdout=out)
    assert "woman" not in out.getvalue() and "gAAAAA" in out.getvalue()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"race_ethnicity": ["asian"], "race_ethnicity_prefer_not": "on"},
            "race_ethnicity",
            "Either choose answers or prefer not to say, not both.",
        ),
        ({"gender_identity": ["martian"]}, "gender_identity", "Select a valid choice"),
        ({"disability": "maybe"}, "disability", "Select a valid choice"),
        ({"race_ethnicity_self": "x" * 201}, "race_ethnicity_self", "at most 200"),
    ],
)
def test_bad_answers_are_refused_at_their_question_and_change_nothing(
    client, alice, data, field, message
):
    privacy.save_answers(person=alice, answers={"disability": {"values": ["no"]}})
    client.force_login(alice)
    response = client.post(URL, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert privacy.answers_of(alice) == {"disability": {"values": ["no"]}}


def test_clean_answers_names_the_question():
    with pytest.raises(identity.Invalid) as caught:
        identity.clean_answers({"shoe_size": {"values": ["9"]}})
    assert caught.value.field == "answers" and "shoe_size" in caught.value.message
    with pytest.raises(identity.Invalid) as caught:
        identity.clean_answers({"disability": {"values": ["yes", "no"]}})
    assert caught.value.field == "disability"
    assert identity.clean_answers({"disability": {"values": []}, "gender_identity": None}) == {}


def test_saving_nothing_erases_the_row(client, alice):
    privacy.save_answers(person=alice, answers={"disability": {"values": ["yes"]}})
    client.force_login(alice)
    assert client.post(URL, {}).status_code == 302
    assert not SelfIdentification.objects.filter(person=alice).exists()


def test_erase(client, alice):
    privacy.save_answers(person=alice, answers={"disability": {"values": ["yes"]}})
    client.force_login(alice)
    assert "Erase your self-identification" in client.get(URL).content.decode()
    response = client.post(ERASE, follow=True)
    assert "Your self-identification was erased." in response.content.decode()
    assert not SelfIdentification.objects.filter(person=alice).exists()
    assert AuditEvent.objects.filter(verb="identity.erased", object_id=str(alice.pk)).exists()
    assert "Erase your self-identification" not in client.get(URL).content.decode()


def test_consents_are_recorded_with_dates_and_revocable_at_once(client, alice):
    client.force_login(alice)
    response = client.post(CONSENT, {"purpose": "matching", "change": "give"}, follow=True)
    assert "You gave your consent to Mentorship matching." in response.content.decode()
    # Giving it twice changes nothing.
    client.post(CONSENT, {"purpose": "matching", "change": "give"})
    consent = Consent.objects.get(person=alice, purpose="matching")
    assert consent.given_at is not None and consent.revoked_at is None
    assert set(privacy.standing(alice)) == {"matching"}
    client.post(CONSENT, {"purpose": "reporting", "change": "give"})
    client.post(CONSENT, {"purpose": "matching", "change": "revoke"})
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert set(privacy.standing(alice)) == {"reporting"}
    # Given again: a new record; the history keeps both.
    client.post(CONSENT, {"purpose": "matching", "change": "give"})
    assert Consent.objects.filter(person=alice, purpose="matching").count() == 2
    html = client.get(URL).content.decode()
    assert "The record of your consents" in html and html.count("<time") >= 4
    verbs = list(
        AuditEvent.objects.filter(actor=alice).order_by("at", "pk").values_list("verb", flat=True)
    )
    assert verbs == ["consent.given", "consent.given", "consent.revoked", "consent.given"]


@pytest.mark.parametrize(
    "data",
    [{"purpose": "marketing", "change": "give"}, {"purpose": "matching", "change": "sell"}, {}],
)
def test_a_bad_consent_request_is_refused(client, alice, data):
    client.force_login(alice)
    response = client.post(CONSENT, data)
    assert response.status_code == 400
    assert "Choose a consent (reporting, matching)" in response.content.decode()
    assert not Consent.objects.exists()


def test_a_use_reads_only_people_whose_consent_stands(alice, bob, dave, erin):
    for person in (alice, bob, dave):
        privacy.save_answers(person=person, answers={"gender_identity": {"values": ["woman"]}})
    privacy.give(person=alice, purpose="matching")
    privacy.give(person=bob, purpose="reporting")  # another use
    privacy.give(person=dave, purpose="matching")
    privacy.revoke(person=dave, purpose="matching")
    read = privacy.read_for("matching", [alice.pk, bob.pk, dave.pk], actor=erin, why="test")
    assert set(read) == {alice.pk}
    event = AuditEvent.objects.get(verb="identity.read")
    assert event.actor == erin
    assert event.detail == {"purpose": "matching", "why": "test"}


def test_the_audit_of_a_read_does_not_move_with_one_persons_consent(alice, bob, erin):
    """An operator reading the audit log around one person's consent learns nothing of it: the
    entry of a read names its purpose and why, never how many people were read."""
    for person in (alice, bob):
        privacy.save_answers(person=person, answers={"gender_identity": {"values": ["woman"]}})
    privacy.give(person=alice, purpose="matching")
    privacy.read_for("matching", [alice.pk, bob.pk], actor=erin, why="run")
    privacy.give(person=bob, purpose="matching")
    privacy.read_for("matching", [alice.pk, bob.pk], actor=erin, why="run")
    before, after = AuditEvent.objects.filter(verb="identity.read").order_by("pk")
    assert before.detail == after.detail == {"purpose": "matching", "why": "run"}


def test_keys_rotate_without_losing_an_answer(settings, alice, bob):
    from io import StringIO

    from cryptography.fernet import Fernet
    from django.core.management import CommandError, call_command

    from belong.people.sealed import SealedKeyError

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.IDENTITY_KEYS = [old]
    privacy.save_answers(person=alice, answers={"disability": {"values": ["yes"]}})
    privacy.save_answers(person=bob, answers={"gender_identity": {"values": ["man"]}})
    before = raw_answers_column(alice)

    settings.IDENTITY_KEYS = [new, old]
    out = StringIO()
    call_command("identity_keys", "status", stdout=out)
    assert out.getvalue().splitlines() == ["key 1: 0 rows", "key 2: 2 rows"]
    updated = SelfIdentification.objects.get(person=alice).updated_at
    call_command("identity_keys", "rotate", stdout=StringIO())
    assert raw_answers_column(alice) != before
    assert SelfIdentification.objects.get(person=alice).updated_at == updated

    settings.IDENTITY_KEYS = [new]  # the old key removed
    assert privacy.answers_of(alice) == {"disability": {"values": ["yes"]}}
    assert privacy.answers_of(bob) == {"gender_identity": {"values": ["man"]}}

    settings.IDENTITY_KEYS = [old]  # a key that no longer opens anything: a loud error
    with pytest.raises(SealedKeyError):
        privacy.answers_of(alice)
    with pytest.raises(CommandError, match="2 rows open with none of the keys"):
        call_command("identity_keys", "status", stdout=StringIO())


def test_a_malformed_key_is_named(settings, alice):
    from django.core.exceptions import ImproperlyConfigured

    settings.IDENTITY_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="key 1 is not a Fernet key"):
        privacy.save_answers(person=alice, answers={"disability": {"values": ["yes"]}})


def test_new_key_prints_a_fernet_key():
    from io import StringIO

    from cryptography.fernet import Fernet
    from django.core.management import call_command

    out = StringIO()
    call_command("identity_keys", "new", stdout=out)
    Fernet(out.getvalue().strip())  # raises if it is not a key


def test_a_single_choice_can_be_taken_back(client, alice):
    privacy.save_answers(
        person=alice,
        answers={"disability": {"values": ["yes"]}, "gender_identity": {"values": ["woman"]}},
    )
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert 'name="disability" value=""' in html and "No answer" in html
    assert client.post(URL, {"disability": "", "gender_identity": ["woman"]}).status_code == 302
    assert privacy.answers_of(alice) == {"gender_identity": {"values": ["woman"]}}


def test_error_reports_never_carry_the_answers(client, alice):
    client.force_login(alice)
    response = client.post(URL, {"disability": "yes"})
    # Django's error reporter replaces every POST value of such a request with stars.
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"


def test_the_privacy_page_says_a_revocation_takes_effect_at_the_next_release(client, alice):
    client.force_login(alice)
    html = " ".join(client.get("/me/privacy/").content.decode().split())
    assert "take effect at the next release" in html
    assert "nothing of you is in it or in any release after it" in html
