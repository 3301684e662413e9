"""What a release counts (belong.insights.dashboards): each topic's groups and units as the engine
takes them. Units carry opaque tokens (never an id in clear) and a record key that stays the
same for the same person; a person's answers count only while their consent stands; the people
who must leave (revoked, erased) are named by the tokens of their units."""

import pytest

from belong.collectives.actions import memberships
from belong.collectives.models import Collective
from belong.insights import cutting, units
from belong.insights.dashboards import collectives, representation, training
from belong.insights.models import RecordKey
from belong.people import privacy
from belong.people.models import OrgUnit
from belong.training.models import Certificate
from tests.builders import event_row, make_attended, make_course, make_person, make_registration

pytestmark = pytest.mark.django_db

BLACK_WOMAN = {
    "race_ethnicity": {"values": ["black_african_american", "hispanic_latino"]},
    "gender_identity": {"values": ["woman"]},
}


def person(n, kind="faculty", answers=None, consent=True, **fields):
    made = make_person(f"s{n}@example.org", f"S {n}", kind=kind, **fields)
    if answers:
        privacy.save_answers(person=made, answers=answers)
        if consent:
            privacy.give(person=made, purpose="reporting")
    return made


def test_representation_counts_answers_only_with_consent(settings):
    settings.DISCLOSURE_THRESHOLD = 1  # groups of one are rows (folding: test_representation)
    program = OrgUnit.objects.create(slug="im", name="Internal Medicine", kind="program")
    counted = person(1, answers=BLACK_WOMAN)
    unconsented = person(2, answers=BLACK_WOMAN, consent=False)
    resident = person(3, kind="resident", org_unit=program)
    source = representation.source()
    assert source.groups == [f"program:{program.pk}", "faculty"]  # the groups with people
    assert source.meta["labels"] == {f"program:{program.pk}": "Internal Medicine"}
    by_token = {unit.token: unit for unit in source.units}
    unit = by_token[units.token("person", counted.pk)]
    assert unit.group == "faculty"
    assert unit.cells == {
        "representation.race": "black_or_african_american",
        "representation.answered": "answered",
        "representation.hispanic": "hispanic",
        "representation.urim": "urim",
        "representation.gender": "woman",
    }
    assert by_token[units.token("person", unconsented.pk)].cells == {
        "representation.answered": "did_not"
    }
    assert by_token[units.token("person", resident.pk)].group == f"program:{program.pk}"
    assert all(str(counted.pk) != unit.token and len(unit.token) == 32 for unit in source.units)
    assert source.consent_based
    assert source.departed([counted.pk]) == {units.token("person", counted.pk)}


def test_record_keys_are_made_once_and_kept(settings):
    settings.DISCLOSURE_THRESHOLD = 1  # a group of one is counted
    first = person(1)
    keys = units.person_keys([first.pk])
    assert 0 <= keys[first.pk] < 2**32
    assert units.person_keys([first.pk]) == keys
    assert RecordKey.objects.count() == 1
    source = representation.source()
    assert source.units[0].record_key == keys[first.pk]


def test_record_keys_are_erased_with_the_person(frank):
    from belong.people import personal_data

    gone = person(1)
    units.person_keys([gone.pk])
    personal_data.erase(gone, actor=frank)
    assert not RecordKey.objects.filter(person=gone).exists()


def test_collective_memberships_are_units_of_their_collective():
    rainbow = Collective.objects.create(slug="rainbow", name="Rainbow")
    closed = Collective.objects.create(slug="closed", name="Closed", is_active=False)
    member, ally = person(1), person(2)
    memberships.join(rainbow.pk, person=member, kind="member")
    memberships.join(rainbow.pk, person=ally, kind="ally")
    source = collectives.members_source()
    assert source.groups == [f"collective:{rainbow.pk}"]
    assert sorted(u.cells["collectives.members"] for u in source.units) == ["allies", "members"]
    assert {u.group for u in source.units} == {f"collective:{rainbow.pk}"}
    assert source.tables[0].row_totals is False and source.tables[0].grand_total is False
    assert units.token("membership", member.pk, rainbow.pk) in source.departed([member.pk])
    assert closed.pk not in {int(g.split(":")[1]) for g in source.groups}


def test_attendance_and_completions_are_units_of_their_month(alice, dave):
    workshop = make_course(title="Inclusive Teaching", foundational=True)
    held = event_row(host=workshop, days=-3)
    make_attended(held, alice)
    make_registration(held, dave, state="no_show")
    Certificate.objects.create(person=alice, kind="foundational", completed_on=held.start.date())
    span = training.months(held.start.date())
    attendance = training.attendance_source("training.attendance", span, "session")
    month = units.month_key(held.start.date())
    assert sorted(u.cells["training.attendance"] for u in attendance.units) == [
        "attended",
        "no_show",
    ]
    assert {u.group for u in attendance.units} == {month}
    assert attendance.meta["held"] == {month: 1}
    completions = training.completions_source(span)
    assert [u.group for u in completions.units] == [month]


def test_people_who_must_leave_since_the_last_release(frank):
    import datetime

    from django.utils import timezone

    before = timezone.now() - datetime.timedelta(seconds=1)
    revoking, erasing, staying = (person(n, answers=BLACK_WOMAN) for n in (1, 2, 3))
    privacy.revoke(person=revoking, purpose="reporting")
    privacy.erase_answers(person=erasing)
    revoked, erased = cutting.departed_since(before)
    assert revoked == {revoking.pk, erasing.pk}
    assert erased == set()
    from belong.people import personal_data

    personal_data.erase(staying, actor=frank)
    assert cutting.departed_since(before)[1] == {staying.pk}
    assert cutting.departed_since(None) == (set(), set())


def test_the_schedule_periods(settings):
    import datetime

    settings.RELEASE_DAY_OF_MONTH = 5
    settings.RELEASE_SCHEDULE_DAYS = 0
    assert cutting.period_of(datetime.date(2026, 12, 7)) == "2026-12"
    assert cutting.period_of(datetime.date(2026, 12, 4)) == "2026-11"
    assert cutting.period_of(datetime.date(2026, 1, 4)) == "2025-12"
    settings.RELEASE_SCHEDULE_DAYS = 14
    one = cutting.period_of(datetime.date(2026, 12, 7))
    assert one.startswith("every-14:")
    days = [datetime.date(2026, 12, 7) + datetime.timedelta(days=n) for n in range(28)]
    assert len({cutting.period_of(day) for day in days}) in (2, 3)


def test_the_state_is_sealed():
    token = cutting.seal({"digests": {"abc": "def"}})
    assert "abc" not in token and "digests" not in token
    assert cutting.unseal(token) == {"digests": {"abc": "def"}}
    assert cutting.unseal("") is None


def test_a_sealed_state_has_one_length_whatever_the_answers():
    """The state keeps exact tallies per group: its sealed length must not say what they are.
    Thirty people of one group, all White, or one of them Black, or three, or one answering
    nothing: the same length (compressed, as first sealed, the length moved with one answer)."""
    import zlib

    from belong.lib import releases

    tables = [releases.TableSpec("t.race", ("white", "black", "asian"), True, True, True)]

    def state_for(races):
        people = [
            releases.Unit(
                token=f"person-{n}",
                record_key=(n * 2654435761) % 2**32,
                group="program",
                cells={"t.race": race} if race else {},
            )
            for n, race in enumerate(races)
        ]
        _published, state = releases.cut(
            "t", tables, ["program"], people, None, settings=releases.Settings(), secret=b"k"
        )
        return state

    everyone = ["white"] * 30
    variants = [
        everyone,
        ["black"] + everyone[1:],
        ["black"] * 3 + everyone[3:],
        [None] + everyone[1:],
        ["asian"] * 15 + ["black"] * 15,
    ]
    states = [state_for(races) for races in variants]
    assert len({len(cutting.seal(state)) for state in states}) == 1
    assert [cutting.unseal(cutting.seal(state)) for state in states] == states
    # What it was: the compressed state's length followed the answers.
    compressed = {len(zlib.compress(cutting._dumps(state))) for state in states}
    assert len(compressed) > 1
    # A state sealed compressed (before padding) still opens.
    old = cutting._fernet().encrypt(zlib.compress(cutting._dumps(states[1]))).decode()
    assert cutting.unseal(old) == states[1]


def widest(value):
    """The state with every number, flag and figure at its widest, written out (what
    cutting._widening works out without writing it): the reference for the padded length."""
    if value is None or isinstance(value, bool | int | float):
        return cutting.WIDEST
    if isinstance(value, dict):
        if value and set(value) <= {"value", "hidden"}:
            return {"hidden": cutting.WIDEST, "value": cutting.WIDEST}
        return {key: widest(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [widest(item) for item in value]
    return value


def test_a_state_is_padded_to_the_length_of_its_widest_form():
    """seal pads a state to the length its JSON would have with every number, flag and figure
    at its widest, worked out without writing that form out (a topic's state at 50,000 people
    is tens of megabytes); the length must be exactly the written-out one, for real states and
    for every kind of value a state holds."""
    import json

    from belong.lib import releases

    tables = [
        releases.TableSpec("t.race", ("white", "black"), True, True, True),
        releases.TableSpec("t.gender", ("woman", "man"), True, False, True),
    ]
    people = [
        releases.Unit(
            token=f"person-{n}",
            record_key=(n * 2654435761) % 2**32,
            group=("a", "b", "c")[n % 3],
            cells={"t.race": ("white", "black")[n % 5 == 0], "t.gender": ("woman", "man")[n % 2]},
        )
        for n in range(90)
    ]
    first = releases.cut(
        "t", tables, ["a", "b", "c"], people, None, settings=releases.Settings(), secret=b"k"
    )
    second = releases.cut(
        "t",
        tables,
        ["a", "b", "c"],
        people[3:],
        first[1],
        settings=releases.Settings(),
        secret=b"k",
    )
    crafted = {
        "n": 7,
        "none": None,
        "flags": [True, False, 1.5, -3],
        "names": ["group", "table"],
        "figures": {"x": {"value": 12}, "y": {"hidden": True, "value": None}, "z": {}},
        "nested": [{"digests": {"a" * 32: "b" * 32}}, [1, [2, "three"]], ()],
        "text": 'naïve "quoted"',
    }
    for state in (first[1], second[1], first[0], crafted, {}, [], "text", 0, None):
        plain = cutting._dumps(state)
        assert len(plain) + cutting._widening(state) == len(cutting._dumps(widest(state)))
    token = cutting.seal(crafted)
    assert cutting.unseal(token) == json.loads(cutting._dumps(crafted))  # a tuple: a list
    assert len(cutting._fernet().decrypt(token.encode())) == len(cutting._dumps(widest(crafted)))


@pytest.mark.django_db
def test_rotating_the_identity_keys_reseals_the_release_states(settings):
    """`identity_keys rotate` reseals the releases' states with the first key too (padded), so
    that the old key can go; a state sealed compressed before padding comes out padded."""
    import datetime
    import zlib
    from io import StringIO

    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from belong.insights.models import Release, ReleaseTopic

    old_key = settings.IDENTITY_KEYS[0]
    state = {"digests": {"a" * 32: "b" * 32}, "tally": {"white": 12}}
    release = Release.objects.create(number=1, kind="operator", as_of=datetime.date(2026, 12, 1))
    old_token = Fernet(old_key).encrypt(zlib.compress(cutting._dumps(state))).decode()
    topic = ReleaseTopic.objects.create(release=release, topic="t", state=old_token)
    new_key = Fernet.generate_key().decode()
    settings.IDENTITY_KEYS = [new_key, old_key]
    out = StringIO()
    call_command("identity_keys", "rotate", stdout=out)
    assert "Resealed 1 release states with key 1." in out.getvalue()
    topic.refresh_from_db()
    settings.IDENTITY_KEYS = [new_key]
    assert cutting.unseal(topic.state) == state
    assert Fernet(new_key).decrypt(topic.state.encode()).startswith(b"{")
    assert len(topic.state) == len(cutting.seal(state))


def test_tokens_and_derived_keys_are_hmac_sha256_under_the_release_secret(settings):
    """Tokens and derived keys are worked out from pads kept per SECRET_KEY (for speed); they
    must stay plain HMAC-SHA256, or every unit's token and key would change and every group
    would move at the next release. A new SECRET_KEY gives new ones."""
    import hashlib
    import hmac

    def expected():
        key = hmac.new(settings.SECRET_KEY.encode(), b"belong:releases", hashlib.sha256).digest()
        made = hmac.new(key, b"registration:42", hashlib.sha256).hexdigest()[:32]
        derived = hmac.new(key, b"key:" + made.encode(), hashlib.sha256).digest()
        return key, made, int.from_bytes(derived[:4], "big")

    for secret_key in ("first secret key of the test", "a second, longer secret key " * 4):
        settings.SECRET_KEY = secret_key
        key, made, derived = expected()
        assert units.secret() == key
        assert units.token("registration", 42) == made
        assert units.derived_key(made) == derived
