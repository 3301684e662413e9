"""Sharing an experience and its moderation: belong.collectives.actions.experiences.

The anonymity tests inspect what is stored: every column of the row, the audit log, the outbox,
the rate-limit counter."""

import datetime
import hashlib
import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.utils import timezone

from belong.collectives.actions import experiences
from belong.collectives.actions.memberships import Refused
from belong.collectives.models import Experience
from belong.notifications.models import OutboundMessage
from belong.people.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_hour")]

TEXT = "At the staff meeting my pronouns were ignored again, and nobody said a thing."
TODAY = datetime.date(2025, 3, 14)
# Every column an experience has. A new column must be checked for what it could identify:
# this test fails until it is added here.
COLUMNS = {
    "id",
    "collective_id",
    "text",
    "person_id",
    "consent_to_publish",
    "state",
    "shared_on",
    "published_on",
    "story_text",
}


def share(collective, person, *, anonymous=True, consent=False, text=TEXT, today=TODAY):
    return experiences.share(
        collective.pk,
        person=person,
        text=text,
        anonymous=anonymous,
        consent_to_publish=consent,
        today=today,
    )


def identifiers(person):
    return [person.email, person.full_name, str(person.pk)]


# --- an anonymous share stores nothing that identifies -------------------------------------------


def test_an_anonymous_share_stores_a_row_whose_every_column_holds_nothing_identifying(
    collective, writer
):
    experience = share(collective, writer, consent=True)

    row = Experience.objects.filter(pk=experience.pk).values().get()
    assert set(row) == COLUMNS
    assert row == {
        "id": experience.pk,
        "collective_id": collective.pk,
        "text": TEXT,
        "person_id": None,
        "consent_to_publish": True,
        "state": "new",
        "shared_on": TODAY,
        "published_on": None,
        "story_text": "",
    }
    assert type(row["shared_on"]) is datetime.date  # the day, no time of day
    stored = Experience.objects.get(pk=experience.pk)
    assert model_to_dict(stored) == {  # every editable field: the id is not one
        "collective": collective.pk,
        "text": TEXT,
        "person": None,
        "consent_to_publish": True,
        "state": "new",
        "shared_on": TODAY,
        "published_on": None,
        "story_text": "",
    }
    assert stored.is_anonymous
    assert isinstance(row["id"], uuid.UUID) and row["id"].version == 4  # random, not a sequence
    for column, value in row.items():
        if column == "id":
            continue  # random: it can hold no identifier (and may hold any digits)
        for identifier in [*identifiers(writer), "wren"]:
            assert identifier.lower() not in str(value).lower()


def test_an_anonymous_share_writes_no_audit_entry_and_queues_no_email(collective, writer, leads):
    audit_before = AuditEvent.objects.count()
    outbox_before = OutboundMessage.objects.count()

    share(collective, writer)
    share(collective, writer, anonymous=False)

    assert AuditEvent.objects.count() == audit_before
    # Not even to the leaders: an email's time would tell when it was shared (see tell_leaders).
    assert OutboundMessage.objects.count() == outbox_before
    assert mail.outbox == []


def test_the_rate_limit_counter_cannot_be_traced_to_the_person(collective, writer):
    from belong.home.models import RateLimitCounter

    share(collective, writer)

    # Without Redis the counters every process shares are rows: a key and a count, nothing else.
    keys = list(RateLimitCounter.objects.values_list("key", flat=True))
    assert len(keys) == 1
    key = keys[0]
    for identifier in identifiers(writer):
        assert identifier not in key
        # Not a plain hash of an identifier either: it is keyed with the SECRET_KEY.
        plain = hashlib.sha256(f"{experiences.RATE_SCOPE}\0{identifier}".encode()).hexdigest()
        assert plain[:32] not in key


def test_a_named_share_keeps_the_person(collective, writer):
    experience = share(collective, writer, anonymous=False)

    stored = Experience.objects.get(pk=experience.pk)
    assert stored.person == writer
    assert not stored.is_anonymous
    assert stored.shared_on == TODAY
    assert stored.consent_to_publish is False


def test_the_day_shared_is_today_in_the_installations_zone_by_default(collective, writer):
    experience = experiences.share(
        collective.pk, person=writer, text=TEXT, anonymous=True, consent_to_publish=False
    )
    assert experience.shared_on == timezone.localdate()


# --- what is refused -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n  ", None])
def test_an_empty_text_is_refused(collective, writer, text):
    with pytest.raises(Refused) as refused:
        share(collective, writer, text=text)

    assert refused.value.field == "text"
    assert refused.value.status == 400
    assert refused.value.message == "Write your experience: the text is empty."
    assert not Experience.objects.exists()


def test_a_text_over_the_limit_is_refused_with_both_lengths(collective, writer):
    with pytest.raises(Refused) as refused:
        share(collective, writer, text="a" * 5001)

    assert refused.value.field == "text"
    assert refused.value.message == "Keep it to 5000 characters or fewer (it has 5001)."
    assert not Experience.objects.exists()
    assert share(collective, writer, text="a" * 5000).text == "a" * 5000


def test_the_text_is_stripped(collective, writer):
    assert share(collective, writer, text="\n  It happened.  \n").text == "It happened."


def test_signing_in_is_required(collective):
    from django.contrib.auth.models import AnonymousUser

    for person in (None, AnonymousUser()):
        with pytest.raises(Refused) as refused:
            share(collective, person)
        assert refused.value.status == 401
    assert not Experience.objects.exists()


def test_an_inactive_collective_takes_no_experience(collective, writer):
    collective.is_active = False
    collective.save(update_fields=["is_active"])

    with pytest.raises(Refused) as refused:
        share(collective, writer)

    assert refused.value.status == 404
    assert not Experience.objects.exists()


# --- the rate limit -----------------------------------------------------------------------------


def test_shares_beyond_the_hourly_limit_are_refused_and_nothing_is_stored(
    collective, other_collective, writer, dave, settings, pinned_hour
):
    settings.EXPERIENCE_SHARES_PER_HOUR = 3
    share(collective, writer)  # anonymous shares count, though nothing links them to the writer
    share(collective, writer, anonymous=False)
    share(other_collective, writer)  # the limit is per person, across collectives

    with pytest.raises(Refused) as refused:
        share(collective, writer, text="One more.")

    assert refused.value.status == 429
    assert refused.value.code == "rate_limited"
    assert refused.value.field == "__all__"
    assert "You have shared 3 experiences within the hour" in refused.value.message
    assert "what you wrote is kept below" in refused.value.message
    assert Experience.objects.count() == 3
    assert not Experience.objects.filter(text="One more.").exists()
    # Someone else is not held back by it.
    assert share(collective, dave).person is None
    # The next hour, the writer may share again.
    pinned_hour.now += 3600
    assert share(collective, writer, text="One more.").text == "One more."


def test_a_refused_text_does_not_use_up_the_limit(collective, writer, settings):
    settings.EXPERIENCE_SHARES_PER_HOUR = 1
    with pytest.raises(Refused):
        share(collective, writer, text="")

    assert share(collective, writer).pk


def test_the_limit_message_says_when_to_try_again(collective, writer, settings, pinned_hour):
    settings.EXPERIENCE_SHARES_PER_HOUR = 1
    pinned_hour.now = 1_741_950_000.0 - (1_741_950_000.0 % 3600) + 3600 - 90  # 90 s to go
    share(collective, writer)

    with pytest.raises(Refused) as refused:
        share(collective, writer)

    assert "send this one again in 2 minutes" in refused.value.message


# --- moderation ----------------------------------------------------------------------------------


@pytest.fixture
def anonymous_story(collective, writer):
    return share(collective, writer, consent=True)


@pytest.fixture
def private_one(collective, writer):
    return share(collective, writer, anonymous=False, consent=False)


def test_a_leader_publishes_an_experience_with_consent_as_written(leads, bob, anonymous_story):
    published = experiences.publish(anonymous_story.pk, actor=bob, today=TODAY)

    stored = Experience.objects.get(pk=published.pk)
    assert stored.state == Experience.State.PUBLISHED
    assert stored.story_text == TEXT
    assert stored.published_on == TODAY
    assert stored.text == TEXT  # what was shared stays as it was


def test_a_leader_may_edit_out_identifying_details(leads, bob, anonymous_story):
    experiences.publish(
        anonymous_story.pk, actor=bob, story_text="  At a meeting, I was misgendered.  "
    )

    stored = Experience.objects.get(pk=anonymous_story.pk)
    assert stored.story_text == "At a meeting, I was misgendered."
    assert stored.published_on == timezone.localdate()


def test_publishing_again_changes_the_text_and_keeps_the_date(leads, bob, anonymous_story):
    experiences.publish(anonymous_story.pk, actor=bob, today=TODAY)
    experiences.publish(
        anonymous_story.pk,
        actor=bob,
        story_text="Shorter.",
        today=TODAY + datetime.timedelta(days=40),
    )

    stored = Experience.objects.get(pk=anonymous_story.pk)
    assert (stored.story_text, stored.published_on) == ("Shorter.", TODAY)


def test_without_consent_nothing_is_published(leads, bob, private_one):
    for actor in (bob,):
        with pytest.raises(Refused) as refused:
            experiences.publish(private_one.pk, actor=actor, story_text="Anything.")
        assert refused.value.status == 409
        assert refused.value.code == "no_consent"
        assert "did not agree to publication" in refused.value.message

    stored = Experience.objects.get(pk=private_one.pk)
    assert (stored.state, stored.story_text, stored.published_on) == ("new", "", None)


def test_a_story_over_the_limit_is_refused(leads, bob, anonymous_story):
    with pytest.raises(Refused) as refused:
        experiences.publish(anonymous_story.pk, actor=bob, story_text="b" * 5001)

    assert refused.value.field == "story_text"
    assert refused.value.status == 400
    assert Experience.objects.get(pk=anonymous_story.pk).state == Experience.State.NEW


def test_unpublish_hide_and_mark_read(leads, bob, anonymous_story):
    pk = anonymous_story.pk
    experiences.mark_read(pk, actor=bob)
    assert Experience.objects.get(pk=pk).state == Experience.State.READ

    experiences.publish(pk, actor=bob, story_text="Edited.", today=TODAY)
    with pytest.raises(Refused) as refused:
        experiences.mark_read(pk, actor=bob)
    assert refused.value.status == 409

    experiences.unpublish(pk, actor=bob)
    stored = Experience.objects.get(pk=pk)
    assert (stored.state, stored.published_on, stored.story_text) == ("read", None, "Edited.")
    experiences.unpublish(pk, actor=bob)  # harmless twice
    assert Experience.objects.get(pk=pk).state == Experience.State.READ

    experiences.publish(pk, actor=bob, today=TODAY)
    experiences.hide(pk, actor=bob)
    stored = Experience.objects.get(pk=pk)
    assert (stored.state, stored.published_on) == ("hidden", None)

    experiences.mark_read(pk, actor=bob)  # back from hidden
    assert Experience.objects.get(pk=pk).state == Experience.State.READ


def test_moderation_is_audited_without_text_or_writer(leads, bob, writer, anonymous_story):
    experiences.publish(anonymous_story.pk, actor=bob, story_text="Edited.")
    experiences.unpublish(anonymous_story.pk, actor=bob)
    experiences.hide(anonymous_story.pk, actor=bob)

    entries = list(
        AuditEvent.objects.filter(verb__startswith="collective.experience_").order_by("pk")
    )
    assert [entry.verb for entry in entries] == [
        "collective.experience_published",
        "collective.experience_unpublished",
        "collective.experience_hidden",
    ]
    for entry in entries:
        assert entry.actor == bob
        text = f"{entry.object_id} {entry.detail}"
        for secret in [TEXT, "Edited.", *identifiers(writer)]:
            assert secret not in text


MODERATIONS = {
    "mark_read": lambda pk, actor: experiences.mark_read(pk, actor=actor),
    "hide": lambda pk, actor: experiences.hide(pk, actor=actor),
    "publish": lambda pk, actor: experiences.publish(pk, actor=actor, story_text="Changed."),
    "unpublish": lambda pk, actor: experiences.unpublish(pk, actor=actor),
}


@pytest.mark.parametrize("verb", sorted(MODERATIONS))
@pytest.mark.parametrize("who", ["bob"])
def test_its_current_leaders_moderate(request, leads, anonymous_story, verb, who):
    actor = request.getfixturevalue(who)
    experience = Experience.objects.get(pk=anonymous_story.pk)
    if verb == "unpublish":
        experiences.publish(experience.pk, actor=actor)

    MODERATIONS[verb](experience.pk, actor)

    expected = {"mark_read": "read", "hide": "hidden", "publish": "published", "unpublish": "read"}
    assert Experience.objects.get(pk=experience.pk).state == expected[verb]


@pytest.mark.parametrize("verb", sorted(MODERATIONS))
@pytest.mark.parametrize(
    "who", ["member", "dave", "former_leader", "other_leader", "grace", "frank"]
)
def test_nobody_else_moderates(request, join, collective, leads, anonymous_story, alice, verb, who):
    join(alice, collective)
    actor = alice if who == "member" else request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        MODERATIONS[verb](anonymous_story.pk, actor)

    stored = Experience.objects.get(pk=anonymous_story.pk)
    assert (stored.state, stored.story_text, stored.published_on) == ("new", "", None)


def test_a_missing_experience(bob, leads):
    with pytest.raises(Experience.DoesNotExist):
        experiences.mark_read(123456789, actor=bob)


# --- telling the leaders -------------------------------------------------------------------------


def test_leaders_are_told_the_next_day_with_neither_text_nor_writer(
    collective, leads, bob, writer, frank, former_leader, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    share(collective, writer, today=yesterday)
    share(collective, writer, anonymous=False, text="Named, and private.", today=yesterday)
    share(collective, writer, text="Shared today.", today=today)

    with django_capture_on_commit_callbacks(execute=True):
        assert experiences.tell_leaders(today=today) == 1

    message = OutboundMessage.objects.get()
    assert message.to_email == bob.email  # the current leader; not the former one, not frank
    assert message.private is False  # it tells nothing about bob that the page does not show
    assert message.subject == "New experiences shared with Rainbow Collective"
    assert "2 experiences were shared with the leaders of Rainbow Collective" in message.body_text
    assert "/collectives/rainbow/manage/experiences/" in message.body_text
    for part in (message.key, message.subject, message.body_text, message.body_html):
        for secret in [TEXT, "Named, and private.", "Shared today.", *identifiers(writer)]:
            assert secret not in part
        assert "anonym" not in part.lower()
    assert len(mail.outbox) == 1  # delivered after the commit
    assert mail.outbox[0].to == [bob.email]
    sent = mail.outbox[0]
    assert "2 experiences were shared" in sent.body
    for secret in [TEXT, "Named, and private.", *identifiers(writer)]:
        assert secret not in f"{sent.subject} {sent.body} {sent.alternatives[0][0]}"
    # Idempotent: running again the same day (or the next) sends nothing more for that day.
    assert experiences.tell_leaders(today=today) == 0
    assert OutboundMessage.objects.count() == 1


def test_nothing_is_told_the_day_of_sharing_nor_about_experiences_already_read(
    collective, leads, bob, writer
):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    share(collective, writer, today=today)
    read = share(collective, writer, today=yesterday)
    experiences.mark_read(read.pk, actor=bob)

    assert experiences.tell_leaders(today=today) == 0
    assert not OutboundMessage.objects.exists()
    # The next day, today's experience is told.
    tomorrow = today + datetime.timedelta(days=1)
    assert experiences.tell_leaders(today=tomorrow) == 1
    assert "1 experience was shared" in OutboundMessage.objects.get().body_text


def test_a_collective_without_leaders_tells_nobody(collective, writer):
    today = timezone.localdate()
    share(collective, writer, today=today - datetime.timedelta(days=1))

    assert experiences.tell_leaders(today=today) == 0
    assert not OutboundMessage.objects.exists()
