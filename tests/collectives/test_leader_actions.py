"""belong.collectives.actions.leaders: naming leaders, ending terms, editing the page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from belong.collectives import access
from belong.collectives.actions import leaders
from belong.collectives.actions.memberships import Refused
from belong.collectives.models import LeaderRole
from belong.people.models import AuditEvent

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)  # the clock of these tests: every date is passed in
DAY = datetime.timedelta(days=1)


def appoint(collective, actor, person, **fields):
    fields = {"title": LeaderRole.Title.CHAIR, "starts_on": TODAY, **fields}
    return leaders.appoint_leader(collective.pk, actor=actor, person=person, **fields)


# -- appoint_leader -------------------------------------------------------------------------


def test_a_dei_administrator_names_a_leader_for_a_term(frank, alice, collective):
    assert access.can_name_leaders(frank)
    role = appoint(
        collective,
        frank,
        alice,
        title=LeaderRole.Title.OTHER,
        other_title="  Treasurer ",
        ends_on=TODAY + 365 * DAY,
    )
    assert (role.label, role.starts_on, role.ends_on) == ("Treasurer", TODAY, TODAY + 365 * DAY)
    assert role.is_current(TODAY) and not role.is_current(TODAY + 366 * DAY)
    entry = AuditEvent.objects.get(verb="collective.leader_appointed")
    assert (entry.actor, entry.object_id, entry.detail) == (
        frank,
        str(role.pk),
        {"person": alice.pk},
    )


def test_the_person_named_is_told_after_commit_and_so_is_the_end_of_the_term(
    frank, alice, collective, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        role = appoint(collective, frank, alice, ends_on=TODAY + 30 * DAY)
    assert [message.to for message in mailoutbox] == [["alice@example.org"]]
    body = " ".join(mailoutbox[0].body.split())
    assert "You were named Chair of Rainbow Collective from" in body
    assert str(TODAY.year) in body and "to" in body
    with django_capture_on_commit_callbacks(execute=True):
        leaders.end_leader_term(role.pk, actor=frank, today=TODAY + 2 * DAY)
    assert len(mailoutbox) == 2
    assert "Your role as Chair of Rainbow Collective has ended." in " ".join(
        mailoutbox[1].body.split()
    )


def test_the_other_name_is_kept_only_for_other(frank, alice, collective):
    role = appoint(collective, frank, alice, title=LeaderRole.Title.CO_CHAIR, other_title="Odd")
    assert (role.other_title, role.label) == ("", "Co-chair")


def test_naming_the_same_role_again_sets_its_term(frank, alice, collective):
    first = appoint(collective, frank, alice, starts_on=TODAY - 400 * DAY, ends_on=TODAY - DAY)
    again = appoint(collective, frank, alice, starts_on=TODAY)
    assert again.pk == first.pk and (again.starts_on, again.ends_on) == (TODAY, None)
    assert LeaderRole.objects.count() == 1


def test_the_appointment_is_seen_in_the_same_request(frank, alice, collective, monkeypatch):
    """The person's cached leader ids are forgotten, so `can_run` answers at once."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: TODAY)
    assert not access.can_run(alice, collective)
    appoint(collective, frank, alice)
    assert access.can_run(alice, collective)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "emperor"}, "title"),
        ({"title": LeaderRole.Title.OTHER, "other_title": "  "}, "other_title"),
        ({"ends_on": TODAY - DAY}, "ends_on"),
    ],
)
def test_a_bad_appointment_is_refused_naming_the_field(frank, alice, collective, fields, field):
    with pytest.raises(Refused) as refused:
        appoint(collective, frank, alice, **fields)
    assert refused.value.field == field and refused.value.status == 400
    assert not LeaderRole.objects.exists() and not AuditEvent.objects.exists()


def test_a_person_who_can_no_longer_sign_in_is_not_named(frank, alice, collective):
    alice.is_active = False
    alice.save()
    with pytest.raises(Refused) as refused:
        appoint(collective, frank, alice)
    assert refused.value.field == "email"
    assert not LeaderRole.objects.exists()


def test_nobody_names_themselves_a_leader(frank, collective):
    """A leader sees the collective's members: a DEI administrator naming themselves would
    take what DESIGN never gives them."""
    with pytest.raises(Refused) as refused:
        appoint(collective, frank, frank)
    assert (refused.value.field, refused.value.status) == ("email", 403)
    assert not LeaderRole.objects.exists()
    assert not access.can_see_members(frank, collective)


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "grace", "dave"])
def test_only_dei_administrators_name_leaders(request, leads, alice, collective, who):
    actor = request.getfixturevalue(who)
    assert not access.can_name_leaders(actor)
    with pytest.raises(PermissionDenied):
        appoint(collective, actor, alice)
    assert not LeaderRole.objects.filter(person=alice).exists()


# -- end_leader_term ------------------------------------------------------------------------


def test_ending_a_begun_term_makes_it_end_yesterday(frank, alice, collective):
    role = appoint(collective, frank, alice, starts_on=TODAY - 90 * DAY)
    ended = leaders.end_leader_term(role.pk, actor=frank, today=TODAY)
    role.refresh_from_db()
    assert ended.pk == role.pk and role.ends_on == TODAY - DAY
    assert role.is_current(TODAY - DAY) and not role.is_current(TODAY)
    assert AuditEvent.objects.filter(verb="collective.leader_term_ended").count() == 1


def test_ending_a_term_that_has_not_begun_withdraws_it(frank, alice, collective):
    role = appoint(collective, frank, alice, starts_on=TODAY + 30 * DAY)
    leaders.end_leader_term(role.pk, actor=frank, today=TODAY)
    assert not LeaderRole.objects.filter(pk=role.pk).exists()
    assert AuditEvent.objects.filter(verb="collective.leader_withdrawn").count() == 1


def test_ending_a_term_that_began_today_withdraws_it(frank, alice, collective):
    """It cannot end yesterday (before it began): it is withdrawn."""
    role = appoint(collective, frank, alice, starts_on=TODAY)
    leaders.end_leader_term(role.pk, actor=frank, today=TODAY)
    assert not LeaderRole.objects.filter(pk=role.pk).exists()


def test_ending_an_ended_term_again_changes_nothing(frank, alice, collective):
    role = appoint(collective, frank, alice, starts_on=TODAY - 400 * DAY, ends_on=TODAY - 30 * DAY)
    before = AuditEvent.objects.count()
    leaders.end_leader_term(role.pk, actor=frank, today=TODAY)
    role.refresh_from_db()
    assert role.ends_on == TODAY - 30 * DAY  # not moved to yesterday
    assert AuditEvent.objects.count() == before


def test_only_dei_administrators_end_terms(bob, leads):
    with pytest.raises(PermissionDenied):
        leaders.end_leader_term(leads.pk, actor=bob, today=TODAY)
    leads.refresh_from_db()
    assert leads.ends_on is None


# -- update_page ----------------------------------------------------------------------------


def test_a_leader_edits_the_page(bob, leads, collective, focus_areas):
    leaders.update_page(
        collective.pk,
        actor=bob,
        summary="New summary.",
        mission="New mission.",
        commitments=["  Listen first ", "", "Act together", "   "],
        focus_areas=[focus_areas[2], focus_areas[0]],
    )
    collective.refresh_from_db()
    assert (collective.summary, collective.mission) == ("New summary.", "New mission.")
    assert collective.vision == "A place where everyone belongs."  # not passed: kept
    assert [(c.order, c.text) for c in collective.commitments.all()] == [
        (0, "Listen first"),
        (1, "Act together"),
    ]
    assert set(collective.focus_areas.all()) == {focus_areas[0], focus_areas[2]}
    entry = AuditEvent.objects.get(verb="collective.page_updated")
    assert entry.actor == bob and entry.object_id == str(collective.pk)
    assert set(entry.detail["fields"]) == {"summary", "mission", "commitments", "focus_areas"}


def test_changing_only_the_commitments_saves_the_collective(bob, leads, collective):
    """Its save is what tells the visitors' page cache (bulk_create sends no signal)."""
    collective.commitments.all().delete()
    before = collective.updated_at
    leaders.update_page(collective.pk, actor=bob, commitments=["Meet every month"])
    collective.refresh_from_db()
    assert collective.updated_at > before
    assert [c.text for c in collective.commitments.all()] == ["Meet every month"]


def test_the_order_of_commitments_is_kept(bob, leads, collective):
    leaders.update_page(collective.pk, actor=bob, commitments=["B", "A", "C"])
    leaders.update_page(collective.pk, actor=bob, commitments=["C", "B", "A"])
    assert [c.text for c in collective.commitments.all()] == ["C", "B", "A"]


def test_saving_what_is_there_writes_no_audit_entry(bob, leads, collective, focus_areas):
    leaders.update_page(
        collective.pk,
        actor=bob,
        summary=collective.summary,
        commitments=["Advocate for inclusive benefits."],
        focus_areas=focus_areas[:2],
    )
    assert not AuditEvent.objects.filter(verb="collective.page_updated").exists()


def test_a_dei_administrator_edits_the_page(frank, collective):
    leaders.update_page(collective.pk, actor=frank, vision="Belonging for all.")
    collective.refresh_from_db()
    assert collective.vision == "Belonging for all."


@pytest.mark.parametrize("who", ["alice", "dave", "grace", "carol"])
def test_others_may_not_edit_the_page(request, leads, collective, who):
    with pytest.raises(PermissionDenied):
        leaders.update_page(collective.pk, actor=request.getfixturevalue(who), summary="Taken.")
    collective.refresh_from_db()
    assert collective.summary == "LGBTQ+ team members and allies."


def test_a_former_leader_may_not_edit_the_page(bob, frank, collective):
    role = appoint(collective, frank, bob, starts_on=TODAY - 400 * DAY)
    leaders.end_leader_term(role.pk, actor=frank, today=TODAY)
    access.forget_cached(bob)
    with pytest.raises(PermissionDenied):
        leaders.update_page(collective.pk, actor=bob, summary="Still mine?")
    collective.refresh_from_db()
    assert collective.summary == "LGBTQ+ team members and allies."


def test_an_image_needs_its_description(bob, leads, collective):
    with pytest.raises(Refused) as refused:
        leaders.update_page(collective.pk, actor=bob, image="collectives/banner.png", image_alt=" ")
    assert refused.value.field == "image_alt"
    collective.refresh_from_db()
    assert not collective.image and not AuditEvent.objects.filter(verb="collective.page_updated")


def test_removing_the_description_of_a_kept_image_is_refused(bob, leads, collective):
    collective.image, collective.image_alt = "collectives/banner.png", "A purple banner"
    collective.save()
    with pytest.raises(Refused):
        leaders.update_page(collective.pk, actor=bob, image_alt="")
    collective.refresh_from_db()
    assert collective.image_alt == "A purple banner"
    leaders.update_page(collective.pk, actor=bob, image="", image_alt="")  # both removed: fine
    collective.refresh_from_db()
    assert not collective.image and collective.image_alt == ""


def test_only_page_fields_are_written(bob, leads, collective):
    with pytest.raises(ValueError):
        leaders.update_page(collective.pk, actor=bob, slug="taken")
    collective.refresh_from_db()
    assert collective.slug == "rainbow"
