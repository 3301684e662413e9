"""The sealed self-identification has one length whatever it says (belong.people.sealed): the
document is padded to SEALED_SIZE before it is sealed, the padding goes on reading, older
unpadded tokens still open and `identity_keys reseal` pads them, and a document that would not
fit is refused, never cut."""

import json
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import example, given
from hypothesis import strategies as st

from belong.people import identity, privacy, sealed
from belong.people.models import SelfIdentification
from tests.builders import bearer, token_for

pytestmark = pytest.mark.django_db

FIELD = SelfIdentification._meta.get_field("answers")


def raw_column(person):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT answers FROM people_selfidentification WHERE person_id = %s", [person.pk]
        )
        return cursor.fetchone()[0]


def write_raw_column(person, token):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_selfidentification SET answers = %s WHERE person_id = %s",
            [token, person.pk],
        )


def plain_of(token):
    """What a token seals, padding and all (with the keys of the settings)."""
    return FIELD.f.decrypt(token.encode("ascii"))


def unpadded_token(answers):
    """A token as Belong sealed them before padding: the JSON alone, with the first key."""
    key = FIELD.keys[0]
    return Fernet(key).encrypt(json.dumps(answers, sort_keys=True).encode()).decode("ascii")


# Any character the edge lets through (belong.lib.storable: not NUL, not a lone surrogate).
DESCRIPTION_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
    max_size=identity.MAX_SELF_DESCRIPTION,
)
LONGEST_DESCRIPTION = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc"))
    | st.sampled_from('\x01\x7f\u20ac\U0001f600"\\'),
    min_size=identity.MAX_SELF_DESCRIPTION,
    max_size=identity.MAX_SELF_DESCRIPTION,
)


def an_answer(dimension):
    keys = [key for key, _label in dimension.choices]
    chosen = st.lists(
        st.sampled_from(keys), unique=True, max_size=len(keys) if dimension.multiple else 1
    )
    return st.one_of(
        st.none(),
        st.just({"prefer_not": True}),
        st.fixed_dictionaries(
            {"values": chosen, "self_description": DESCRIPTION_TEXT | LONGEST_DESCRIPTION}
        ),
    )


ANSWERS = st.fixed_dictionaries(
    {}, optional={dimension.key: an_answer(dimension) for dimension in identity.DIMENSIONS}
)
EVERY_QUESTION_PREFER_NOT = {
    dimension.key: {"prefer_not": True} for dimension in identity.DIMENSIONS
}
EVERY_QUESTION_ONE_ANSWER = {
    dimension.key: {"values": [dimension.choices[0][0]]} for dimension in identity.DIMENSIONS
}


@given(raw=ANSWERS)
@example(raw={})
@example(raw=identity.largest_answers())
@example(raw=EVERY_QUESTION_PREFER_NOT)
@example(raw=EVERY_QUESTION_ONE_ANSWER)
@example(raw={"race_ethnicity": {"values": ["black_african_american"]}})
@example(raw={"race_ethnicity": {"values": ["white"]}})
def test_every_token_has_one_length_whatever_the_answers(raw):
    answers = identity.clean_answers(raw)  # valid answers are never refused for their size
    token = FIELD.get_prep_value(answers)
    assert len(token) == sealed.token_length()
    plain = plain_of(token)
    assert len(plain) == sealed.SEALED_SIZE
    assert plain == sealed.encode(answers).ljust(sealed.SEALED_SIZE, b" ")
    assert FIELD.open(token) == answers  # the padding goes on reading


def test_the_size_holds_the_largest_valid_answers():
    largest = identity.largest_answers()
    assert identity.clean_answers(largest) == largest  # valid as it is
    assert len(sealed.encode(largest)) <= sealed.SEALED_SIZE
    # No character takes more room in the document than the one largest_answers() uses
    # (so no valid answers are larger), and no question's choice is longer than the ones it
    # ticks: every one is ticked, or the longest where only one may be.
    room = {
        len(sealed.encode(chr(code))) - 2
        for code in range(0x110000)
        if not 0xD800 <= code <= 0xDFFF
    }
    assert max(room) == len(sealed.encode(identity.COSTLIEST_CHARACTER)) - 2


def test_rows_in_the_database_have_one_length(alice, bob, dave):
    privacy.save_answers(person=alice, answers={"disability": {"values": ["no"]}})
    privacy.save_answers(person=bob, answers=identity.largest_answers())
    SelfIdentification.objects.create(person=dave, answers={})
    lengths = {len(raw_column(person)) for person in (alice, bob, dave)}
    assert lengths == {sealed.token_length()}
    assert privacy.answers_of(bob) == identity.largest_answers()
    assert privacy.answers_of(dave) == {}


def test_a_dump_carries_padded_tokens_that_load_again(alice):
    privacy.save_answers(person=alice, answers={"gender_identity": {"values": ["woman"]}})
    out = StringIO()
    call_command("dumpdata", "people.selfidentification", stdout=out)
    [row] = json.loads(out.getvalue())
    assert len(row["fields"]["answers"]) == sealed.token_length()
    assert FIELD.to_python(row["fields"]["answers"]) == {"gender_identity": {"values": ["woman"]}}


def test_old_unpadded_tokens_open_and_reseal_pads_them(alice, bob):
    old = {"race_ethnicity": {"values": ["black_african_american"]}}
    privacy.save_answers(person=alice, answers=old)
    privacy.save_answers(person=bob, answers={"disability": {"values": ["no"]}})
    write_raw_column(alice, unpadded_token(old))
    assert len(raw_column(alice)) < sealed.token_length()
    assert privacy.answers_of(alice) == old  # still opens
    updated = SelfIdentification.objects.get(person=alice).updated_at
    bobs = raw_column(bob)

    out = StringIO()
    call_command("identity_keys", "status", stdout=out)
    assert out.getvalue().splitlines() == [
        "key 1: 2 rows",
        "not padded: 1 rows (their length shows how much was answered; run `manage.py "
        "identity_keys reseal`)",
    ]

    out = StringIO()
    call_command("identity_keys", "reseal", stdout=out)
    assert out.getvalue().strip() == "Padded and resealed 1 rows with key 1."
    assert len(raw_column(alice)) == sealed.token_length()
    assert len(plain_of(raw_column(alice))) == sealed.SEALED_SIZE
    assert privacy.answers_of(alice) == old
    assert SelfIdentification.objects.get(person=alice).updated_at == updated
    assert raw_column(bob) == bobs  # already padded: left alone

    out = StringIO()
    call_command("identity_keys", "status", stdout=out)
    assert out.getvalue().splitlines() == ["key 1: 2 rows"]
    out = StringIO()
    call_command("identity_keys", "reseal", stdout=out)
    assert out.getvalue().strip() == "Padded and resealed 0 rows with key 1."


def test_rotating_the_keys_pads_old_tokens_too(settings, alice):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.IDENTITY_KEYS = [old_key]
    answers = {"sexual_orientation": {"values": ["gay"], "self_description": "Two-Spirit"}}
    privacy.save_answers(person=alice, answers=answers)
    write_raw_column(alice, unpadded_token(answers))
    settings.IDENTITY_KEYS = [new_key, old_key]
    call_command("identity_keys", "rotate", stdout=StringIO())
    settings.IDENTITY_KEYS = [new_key]
    assert len(raw_column(alice)) == sealed.token_length()
    assert privacy.answers_of(alice) == answers


def test_a_document_too_large_is_refused_at_the_field(alice):
    overhead = len(sealed.encode({"notes": ""}))  # {"notes":""}
    row = SelfIdentification(person=alice, answers={"notes": "x" * sealed.SEALED_SIZE})
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    [message] = refused.value.message_dict["answers"]
    assert f"takes {sealed.SEALED_SIZE + overhead} bytes" in message
    assert f"at most {sealed.SEALED_SIZE}" in message and "nothing was stored" in message
    with pytest.raises(sealed.SealedTooLarge, match=f"at most {sealed.SEALED_SIZE}"):
        with transaction.atomic():
            row.save()
    assert not SelfIdentification.objects.exists()  # refused, not cut

    fits = {"notes": "x" * (sealed.SEALED_SIZE - overhead)}  # exactly the size
    SelfIdentification(person=alice, answers=fits).full_clean()
    SelfIdentification.objects.create(person=alice, answers=fits)
    assert SelfIdentification.objects.get(person=alice).answers == fits


def test_answers_that_would_not_fit_are_refused_naming_answers(monkeypatch, client, alice):
    # Were the questions to outgrow the size, answers that do not fit are refused whole.
    answers = {"race_ethnicity": {"values": ["asian"], "self_description": "Hmong American"}}
    privacy.save_answers(person=alice, answers=answers)
    monkeypatch.setattr(sealed, "SEALED_SIZE", len(sealed.encode(identity.largest_answers())) - 1)
    with pytest.raises(identity.Invalid) as refused:
        identity.clean_answers(identity.largest_answers())
    assert refused.value.field == "answers"
    assert "shorten a self-description" in refused.value.message
    response = client.put(
        "/api/v1/me/self-identification",
        {"answers": identity.largest_answers()},
        content_type="application/json",
        **bearer(token_for(alice)),
    )
    assert response.status_code == 400
    assert "shorten a self-description" in response.json()["errors"]["answers"][0]
    assert privacy.answers_of(alice) == answers


def test_an_unpaired_surrogate_in_a_self_description_is_refused_at_its_question():
    with pytest.raises(identity.Invalid) as refused:
        identity.clean_answers({"gender_identity": {"self_description": "a\ud800b"}})
    assert refused.value.field == "gender_identity"
    assert "unpaired surrogate" in refused.value.message


def test_the_demo_data_is_padded(settings, content):
    settings.DEMO = True
    call_command("load_demo", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT LENGTH(answers) FROM people_selfidentification")
        lengths = {row[0] for row in cursor.fetchall()}
    assert lengths == {sealed.token_length()}
