"""The directories' pages: search and filters (approved entries only, paginated, a constant
query count), suggest -> review -> listed, the review queue, the edit page, permissions (DEI
administrator, member, visitor) and wrong methods. Import and export: test_directory_import.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from belong.collectives.models import Business, Partner
from belong.collectives.views.directories import PER_PAGE
from belong.notifications.models import OutboundMessage
from tests.builders import make_business, make_partner

pytestmark = pytest.mark.django_db

BUSINESSES = "/collectives/businesses/"
PARTNERS = "/collectives/partners/"
REVIEW = "/collectives/directory/review/"


def listed(client, path, **query):
    """The names on a directory page (its messages may name an entry that is not listed)."""
    return {entry.name for entry in client.get(path, query).context["page"].object_list}


def decide(pk, decision, kind="businesses", **extra):
    return (f"/collectives/directory/{kind}/{pk}/review/", {"decision": decision, **extra})


# -- the directories -------------------------------------------------------------------------


def test_search_and_filters_show_approved_entries_only(client, alice):
    make_business(
        "Mercado Catering", ownership="Latinx-owned; woman-owned", certifications="CERT SBE"
    )
    make_business("Northside Print", category="Printing", certifications="MBE, WBE")
    make_business("Hidden Suggestion", status=Business.Status.SUGGESTED, ownership="Secretly-owned")
    make_business("Declined Shop", status=Business.Status.DECLINED)
    client.force_login(alice)
    page = client.get(BUSINESSES).content.decode()
    assert "Mercado Catering" in page and "Northside Print" in page
    assert "Hidden Suggestion" not in page and "Declined Shop" not in page
    assert "Secretly-owned" not in page  # not offered as a filter either
    assert '<option value="woman-owned"' in page and '<option value="WBE"' in page

    def shown(**query):
        body = client.get(BUSINESSES, query).content.decode()
        return {name for name in ("Mercado Catering", "Northside Print") if name in body}

    assert shown(q="latinx") == {"Mercado Catering"}
    assert shown(q="print mbe") == {"Northside Print"}
    assert shown(category="printing") == {"Northside Print"}
    assert shown(certification="WBE") == {"Northside Print"}
    assert shown(ownership="woman-owned") == {"Mercado Catering"}
    assert shown(q="nothing like this") == set()
    assert "No entry matches." in client.get(BUSINESSES, {"q": "zzz"}).content.decode()


def test_partners_are_filtered_by_area_of_focus(client, alice, focus_areas):
    make_partner("Health Alliance", areas=[focus_areas[0]])
    make_partner("Food Shelf", category="Food", areas=[focus_areas[1]])
    client.force_login(alice)
    page = client.get(PARTNERS, {"area": focus_areas[0].slug}).content.decode()
    assert "Health Alliance" in page and "Food Shelf" not in page
    assert f'<option value="{focus_areas[0].slug}" selected>' in page


def test_long_or_odd_filters_are_never_an_error(client, alice):
    client.force_login(alice)
    response = client.get(BUSINESSES, {"q": "x" * 5000, "category": "%", "page": "banana"})
    assert response.status_code == 200
    assert client.get(PARTNERS, {"area": "<script>"}).status_code == 200
    # PostgreSQL refuses NUL characters: a 400 naming the field (belong.lib.middleware).
    for name in ("q", "category", "ownership", "certification"):
        response = client.get(BUSINESSES, {name: "a\x00b"})
        assert response.status_code == 400
        assert f"<strong>{name}</strong>" in response.content.decode()
    assert client.get(PARTNERS, {"area": "\x00"}).status_code == 400


def test_the_directory_is_paginated_and_keeps_its_filters(client, alice):
    for i in range(PER_PAGE + 3):
        make_business(f"Shop {i:02d}", category="Retail")
    client.force_login(alice)
    first = client.get(BUSINESSES, {"category": "Retail"}).content.decode()
    assert "Page 1 of 2" in first and "category=Retail&amp;page=2" in first
    second = client.get(BUSINESSES, {"category": "Retail", "page": 2})
    assert len(second.context["page"].object_list) == 3


@pytest.mark.parametrize("path", [BUSINESSES, PARTNERS])
def test_a_directory_keeps_its_query_count(
    client, alice, focus_areas, path, django_assert_max_num_queries
):
    def add(count, start):
        for i in range(start, start + count):
            make_business(f"Shop {i}", ownership=f"Owned {i}", certifications=f"C{i}")
            make_partner(f"Partner {i}", areas=focus_areas)

    client.force_login(alice)
    add(2, 0)
    with django_assert_max_num_queries(12) as few:
        assert client.get(path).status_code == 200
    add(30, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(path, {"q": "shop partner", "page": 2}).status_code == 200


def test_a_dei_administrator_sees_the_curators_links(client, alice, frank):
    entry = make_business("Mercado")
    client.force_login(alice)
    page = client.get(BUSINESSES).content.decode()
    assert "/collectives/businesses/import/" not in page and REVIEW not in page
    client.force_login(frank)
    page = client.get(BUSINESSES).content.decode()
    assert "/collectives/businesses/import/" in page and REVIEW in page
    assert f"/collectives/businesses/{entry.pk}/edit/" in page


# -- suggest, review, listed -----------------------------------------------------------------


def test_suggest_then_review_then_listed(client, alice, frank):
    client.force_login(alice)
    assert client.get("/collectives/businesses/suggest/").status_code == 200
    response = client.post(
        "/collectives/businesses/suggest/",
        {"name": "Café Ñandú", "category": "Coffee", "website": "example.org/cafe"},
    )
    assert response.status_code == 302 and response["Location"] == BUSINESSES
    entry = Business.objects.get(name="Café Ñandú")
    assert entry.status == "suggested" and entry.suggested_by == alice
    assert OutboundMessage.objects.filter(to_email=frank.email).exists()
    assert "Café Ñandú" not in listed(client, BUSINESSES)
    assert client.post(*decide(entry.pk, "approve")).status_code == 403

    client.force_login(frank)
    assert "Café Ñandú" in client.get(REVIEW).content.decode()
    response = client.post(*decide(entry.pk, "approve"))
    assert response.status_code == 302 and response["Location"] == REVIEW
    assert client.get(REVIEW).context["businesses"] == []

    client.force_login(alice)
    assert "Café Ñandú" in listed(client, BUSINESSES)


def test_a_partner_is_suggested_with_areas_and_can_be_declined(client, alice, frank, focus_areas):
    client.force_login(alice)
    response = client.post(
        "/collectives/partners/suggest/",
        {"name": "Food Shelf", "category": "Food", "focus_areas": [focus_areas[0].pk]},
    )
    assert response.status_code == 302 and response["Location"] == PARTNERS
    entry = Partner.objects.get()
    assert list(entry.focus_areas.all()) == [focus_areas[0]]
    client.force_login(frank)
    assert focus_areas[0].name in client.get(REVIEW).content.decode()
    client.post(*decide(entry.pk, "decline", kind="partners"))
    entry.refresh_from_db()
    assert entry.status == "declined"
    client.force_login(alice)
    assert "Food Shelf" not in listed(client, PARTNERS)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"category": "Coffee"}, "name"),
        ({"name": "X", "category": "Coffee", "website": "not a url"}, "website"),
        ({"name": "X", "category": "Coffee", "email": "nope"}, "email"),
        ({"name": "X" * 201, "category": "Coffee"}, "name"),
    ],
)
def test_a_bad_suggestion_is_a_400_naming_the_field(client, alice, data, field):
    client.force_login(alice)
    response = client.post("/collectives/businesses/suggest/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    body = response.content.decode()
    assert "There is a problem" in body and "<title>Error:" in body
    assert not Business.objects.exists()


def test_review_refuses_unknown_decisions_kinds_and_entries(client, frank):
    entry = make_business("Pending", status=Business.Status.SUGGESTED)
    client.force_login(frank)
    bad = client.post(*decide(entry.pk, "maybe"))
    assert bad.status_code == 400 and "approve or decline" in bad.content.decode()
    assert client.post(*decide(entry.pk, "approve", kind="spaceships")).status_code == 404
    assert client.post(*decide(999, "approve")).status_code == 404
    entry.refresh_from_db()
    assert entry.status == "suggested"


def test_the_review_queue_keeps_its_query_count(
    client, frank, focus_areas, django_assert_max_num_queries
):
    client.force_login(frank)

    def add(count, start):
        for i in range(start, start + count):
            make_business(f"Shop {i}", status=Business.Status.SUGGESTED)
            make_partner(f"Partner {i}", areas=focus_areas, status=Partner.Status.SUGGESTED)

    add(2, 0)
    with django_assert_max_num_queries(12) as few:
        assert client.get(REVIEW).status_code == 200
    add(20, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(REVIEW).status_code == 200


# -- edit --------------------------------------------------------------------------------------


def test_a_dei_administrator_edits_an_entry(client, frank, focus_areas):
    entry = make_partner("Alliance", areas=[focus_areas[0]])
    client.force_login(frank)
    page = client.get(f"/collectives/partners/{entry.pk}/edit/")
    assert page.status_code == 200 and "Alliance" in page.content.decode()
    response = client.post(
        f"/collectives/partners/{entry.pk}/edit/",
        {"name": "Health Alliance", "category": "Health", "focus_areas": [focus_areas[1].pk]},
    )
    assert response.status_code == 302 and response["Location"] == PARTNERS
    entry.refresh_from_db()
    assert entry.name == "Health Alliance"
    assert list(entry.focus_areas.all()) == [focus_areas[1]]


def test_a_bad_edit_is_a_400_and_changes_nothing(client, frank):
    entry = make_business("Mercado", email="hola@example.org")
    client.force_login(frank)
    response = client.post(
        f"/collectives/businesses/{entry.pk}/edit/",
        {"name": "Renamed", "category": "Catering", "email": "nope"},
    )
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert "Edit Mercado" in response.content.decode()  # the saved name, not the one typed
    entry.refresh_from_db()
    assert (entry.name, entry.email) == ("Mercado", "hola@example.org")


def test_editing_a_suggestion_returns_to_the_review_queue(client, frank):
    entry = make_business("Typo Shop", status=Business.Status.SUGGESTED)
    client.force_login(frank)
    response = client.post(
        f"/collectives/businesses/{entry.pk}/edit/", {"name": "Tidy Shop", "category": "Retail"}
    )
    assert response["Location"] == REVIEW
    entry.refresh_from_db()
    assert (entry.name, entry.status) == ("Tidy Shop", "suggested")


def test_an_entry_is_removed_from_and_listed_again_from_its_edit_page(client, alice, frank):
    entry = make_business("Closed Shop")
    edit = f"/collectives/businesses/{entry.pk}/edit/"
    client.force_login(frank)
    assert "Remove it from the directory" in client.get(edit).content.decode()
    response = client.post(*decide(entry.pk, "decline", back="edit"))
    assert response["Location"] == edit
    client.force_login(alice)
    assert "Closed Shop" not in listed(client, BUSINESSES)
    client.force_login(frank)
    assert "List it in the directory" in client.get(edit).content.decode()
    client.post(*decide(entry.pk, "approve", back="edit"))
    entry.refresh_from_db()
    assert entry.status == "approved"


def test_editing_a_missing_entry_is_a_404(client, frank):
    client.force_login(frank)
    assert client.get("/collectives/businesses/999/edit/").status_code == 404
    assert client.post("/collectives/partners/999/edit/", {"name": "X"}).status_code == 404


# -- who may do what ----------------------------------------------------------------------------


def test_visitors_are_sent_to_sign_in_and_change_nothing(client):
    entry = make_business("Pending", status=Business.Status.SUGGESTED)
    for path in (
        BUSINESSES,
        PARTNERS,
        "/collectives/businesses.csv",
        "/collectives/partners.csv",
        "/collectives/businesses/suggest/",
        "/collectives/partners/suggest/",
        REVIEW,
        "/collectives/businesses/import/",
        "/collectives/partners/import/",
        f"/collectives/businesses/{entry.pk}/edit/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/"), path
    posts = [
        ("/collectives/businesses/suggest/", {"name": "X", "category": "Y"}),
        decide(entry.pk, "approve"),
        (f"/collectives/businesses/{entry.pk}/edit/", {"name": "X", "category": "Y"}),
        (
            "/collectives/businesses/import/",
            {"file": SimpleUploadedFile("a.csv", b"name,category\nA,B\n")},
        ),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 302, path
    assert list(Business.objects.values_list("name", "status")) == [("Pending", "suggested")]


@pytest.mark.parametrize("who", ["alice", "bob", "grace", "dave"])
def test_people_who_are_not_dei_administrators_may_not_curate(client, request, who, leads):
    entry = make_business("Pending", status=Business.Status.SUGGESTED)
    client.force_login(request.getfixturevalue(who))
    for path in (
        REVIEW,
        "/collectives/businesses/import/",
        "/collectives/partners/import/",
        f"/collectives/businesses/{entry.pk}/edit/",
    ):
        assert client.get(path).status_code == 403, path
    assert client.post(*decide(entry.pk, "approve")).status_code == 403
    edit = client.post(
        f"/collectives/businesses/{entry.pk}/edit/", {"name": "Mine", "category": "Retail"}
    )
    assert edit.status_code == 403
    # But they search, export and suggest.
    assert client.get(BUSINESSES).status_code == 200
    assert client.get("/collectives/partners.csv").status_code == 200
    assert client.get("/collectives/partners/suggest/").status_code == 200
    entry.refresh_from_db()
    assert (entry.name, entry.status) == ("Pending", "suggested")


def test_wrong_methods_are_405(client, alice, frank):
    entry = make_business("Mercado")
    client.force_login(alice)
    assert client.post(BUSINESSES).status_code == 405
    assert client.post(PARTNERS).status_code == 405
    assert client.post("/collectives/businesses.csv").status_code == 405
    assert client.put("/collectives/businesses/suggest/").status_code == 405
    client.force_login(frank)
    assert client.get(f"/collectives/directory/businesses/{entry.pk}/review/").status_code == 405
    assert client.post(REVIEW).status_code == 405
    assert client.put("/collectives/businesses/import/").status_code == 405
    assert client.delete(f"/collectives/businesses/{entry.pk}/edit/").status_code == 405
    entry.refresh_from_db()
    assert entry.status == "approved"
