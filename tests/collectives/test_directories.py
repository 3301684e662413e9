"""The directories' actions: suggest (anyone signed in, DEI administrators told), review and
update (DEI administrators), search and the filters' choices. CSV import and export:
test_directory_import.py; pages: test_directory_pages.py."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from belong.collectives.actions import directories as actions
from belong.collectives.actions.memberships import Refused
from belong.collectives.models import Business, Partner
from belong.notifications.models import OutboundMessage
from belong.people import roles
from belong.people.models import AuditEvent
from tests.builders import make_business, make_partner, make_person

pytestmark = pytest.mark.django_db


def names(entries):
    return [entry.name for entry in entries]


# -- suggest ---------------------------------------------------------------------------------


def test_anyone_signed_in_suggests_and_every_dei_administrator_is_told(alice, frank, bob):
    second = make_person("fiona@example.org", "Fiona Admin", roles.DEI_ADMINISTRATOR)
    entry = actions.suggest(
        "businesses",
        person=alice,
        name="Café Ñandú",
        category="Coffee",
        ownership="Latinx-owned",
        website="example.org/cafe",
    )
    entry.refresh_from_db()
    assert entry.status == Business.Status.SUGGESTED and entry.suggested_by == alice
    assert entry.website == "https://example.org/cafe"
    told = OutboundMessage.objects.order_by("to_email")
    assert [message.to_email for message in told] == [second.email, frank.email]
    assert "Café Ñandú" in told[0].subject
    assert "/collectives/directory/review/" in told[0].body_text
    assert not OutboundMessage.objects.filter(to_email__in=[alice.email, bob.email]).exists()


def test_a_partner_is_suggested_with_its_areas_of_focus(alice, focus_areas):
    entry = actions.suggest(
        "partners",
        person=alice,
        name="Health Alliance",
        category="Health",
        focus_areas=[focus_areas[0], focus_areas[2].pk],
    )
    assert set(entry.focus_areas.all()) == {focus_areas[0], focus_areas[2]}


def test_a_visitor_may_not_suggest():
    with pytest.raises(Refused) as refused:
        actions.suggest("businesses", person=AnonymousUser(), name="X", category="Y")
    assert refused.value.status == 401
    assert not Business.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"category": "Coffee"}, "name"),
        ({"name": "X"}, "category"),
        ({"name": "X", "category": "Coffee", "email": "nope"}, "email"),
        ({"name": "X", "category": "Coffee", "website": "javascript:alert(1)"}, "website"),
        ({"name": "X" * 201, "category": "Coffee"}, "name"),
        ({"name": "X", "category": "C" * 121}, "category"),
        ({"name": "X", "category": "Coffee", "phone": "1" * 41}, "phone"),
        ({"name": "X", "category": "Coffee", "description": "d" * 5001}, "description"),
    ],
)
def test_a_bad_suggestion_names_its_field_and_changes_nothing(alice, frank, fields, field):
    with pytest.raises(Refused) as refused:
        actions.suggest("businesses", person=alice, **fields)
    assert refused.value.field == field and refused.value.status == 400
    assert not Business.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_unknown_focus_area_slugs_are_named():
    with pytest.raises(Refused) as refused:
        actions.focus_areas_by_slug(["nowhere", "elsewhere"])
    assert refused.value.field == "focus_areas"
    assert "nowhere, elsewhere" in refused.value.message


def test_focus_area_slugs_give_their_areas_once(focus_areas):
    slugs = [focus_areas[1].slug, focus_areas[0].slug, focus_areas[1].slug]
    assert actions.focus_areas_by_slug(slugs) == [focus_areas[1], focus_areas[0]]


def test_null_characters_are_never_sent_to_the_database(focus_areas):
    """PostgreSQL refuses a NUL character in a query: filters drop it, slugs holding one are
    unknown (CI runs this on PostgreSQL too)."""
    Business.objects.create(name="Mercado", category="Food", status=Business.Status.APPROVED)
    assert [e.name for e in actions.search("businesses", q="Mer\x00cado")] == ["Mercado"]
    nul = "\x00"
    filters = {"category": nul, "ownership": nul, "certification": nul}
    assert len(actions.search("businesses", **filters)) == 1
    assert list(actions.search("partners", area=nul)) == []
    with pytest.raises(Refused) as refused:
        actions.focus_areas_by_slug([focus_areas[0].slug, "a\x00"])
    assert refused.value.field == "focus_areas"


# -- review and update -----------------------------------------------------------------------


def test_a_dei_administrator_approves_or_declines(alice, frank):
    first = actions.suggest("businesses", person=alice, name="One", category="Retail")
    second = actions.suggest("businesses", person=alice, name="Two", category="Retail")
    actions.review("businesses", first.pk, actor=frank, approve=True)
    actions.review("businesses", second.pk, actor=frank, approve=False)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "approved" and first.reviewed_at is not None
    assert second.status == "declined"
    assert names(actions.search("businesses")) == ["One"]
    verbs = set(AuditEvent.objects.filter(actor=frank).values_list("verb", flat=True))
    assert {"directory.approved", "directory.declined"} <= verbs


@pytest.mark.parametrize("who", ["alice", "bob", "grace", "dave"])
def test_only_dei_administrators_review_and_update(request, who, leads):
    person = request.getfixturevalue(who)
    entry = make_business("Pending", status=Business.Status.SUGGESTED)
    with pytest.raises(PermissionDenied):
        actions.review("businesses", entry.pk, actor=person, approve=True)
    with pytest.raises(PermissionDenied):
        actions.update_entry("businesses", entry.pk, actor=person, name="Taken")
    entry.refresh_from_db()
    assert (entry.status, entry.name) == ("suggested", "Pending")


def test_reviewing_a_missing_entry_is_does_not_exist(frank):
    with pytest.raises(Business.DoesNotExist):
        actions.review("businesses", 999, actor=frank, approve=True)


def test_an_update_changes_only_the_fields_given(frank, focus_areas):
    entry = make_partner("Alliance", areas=focus_areas[:2], email="hello@example.org")
    actions.update_entry("partners", entry.pk, actor=frank, description="New words.")
    entry.refresh_from_db()
    assert entry.description == "New words." and entry.email == "hello@example.org"
    assert set(entry.focus_areas.all()) == set(focus_areas[:2])
    actions.update_entry("partners", entry.pk, actor=frank, focus_areas=[focus_areas[2]])
    assert list(entry.focus_areas.all()) == [focus_areas[2]]
    assert AuditEvent.objects.filter(verb="directory.updated", actor=frank).count() == 2


def test_a_bad_update_is_refused_and_changes_nothing(frank):
    entry = make_business("Mercado", email="hola@example.org")
    with pytest.raises(Refused) as refused:
        actions.update_entry("businesses", entry.pk, actor=frank, name="", email="bad")
    assert refused.value.field in {"name", "email"}
    entry.refresh_from_db()
    assert (entry.name, entry.email) == ("Mercado", "hola@example.org")


# -- search and choices ----------------------------------------------------------------------


def test_search_finds_every_word_in_any_text_of_approved_entries():
    make_business(
        "Mercado Central", ownership="Latinx-owned; woman-owned", certifications="CERT SBE"
    )
    make_business("Northside Print", category="Printing", certifications="MBE, WBE")
    make_business("Lakeside Bakery", description="Bread and cakes", area_served="Duluth")
    make_business("Hidden Suggestion", status=Business.Status.SUGGESTED, ownership="Latinx-owned")
    make_business("Declined Shop", status=Business.Status.DECLINED, ownership="Latinx-owned")
    assert names(actions.search("businesses", q="latinx")) == ["Mercado Central"]
    assert names(actions.search("businesses", q="  WOMAN-owned   central ")) == ["Mercado Central"]
    assert names(actions.search("businesses", q="latinx printing")) == []
    assert names(actions.search("businesses", q="cakes duluth")) == ["Lakeside Bakery"]
    assert names(actions.search("businesses", category="PRINTING")) == ["Northside Print"]
    assert names(actions.search("businesses", certification="wbe")) == ["Northside Print"]
    assert names(actions.search("businesses", ownership="Woman-Owned")) == ["Mercado Central"]
    assert names(actions.search("businesses")) == [
        "Lakeside Bakery",
        "Mercado Central",
        "Northside Print",
    ]


def test_partners_are_searched_and_filtered_by_area_of_focus(focus_areas):
    make_partner("Health Alliance", areas=focus_areas[:2], description="Clinics")
    make_partner("Food Shelf", category="Food", areas=[focus_areas[2]])
    make_partner("Quiet Partner", status=Partner.Status.SUGGESTED, areas=focus_areas)
    assert names(actions.search("partners", area=focus_areas[0].slug)) == ["Health Alliance"]
    assert names(actions.search("partners", area=focus_areas[2].slug)) == ["Food Shelf"]
    assert names(actions.search("partners", q="clinics")) == ["Health Alliance"]
    assert names(actions.search("partners", area="no-such-area")) == []
    # Filters of the other kind are ignored.
    assert len(actions.search("partners", ownership="x", certification="y")) == 2


def test_the_filters_offer_what_approved_entries_say_once_each():
    make_business(
        "A", category="Catering", ownership="Black-owned; woman-owned", certifications="MBE"
    )
    make_business("B", category="catering", ownership="Woman-owned", certifications="MBE, WBE")
    make_business("C", category="Printing", status=Business.Status.SUGGESTED, ownership="Secret")
    offered = actions.choices("businesses")
    assert [value.casefold() for value in offered["categories"]] == ["catering"]
    assert offered["ownerships"] == ["Black-owned", "Woman-owned"]
    assert offered["certifications"] == ["MBE", "WBE"]
    assert actions.choices("partners") == {"categories": []}
