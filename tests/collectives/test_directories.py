"""The directories: search, suggest -> review -> listed, edit, CSV import (all or nothing, line
numbers) and export (round trip, formulas), permissions, query budget."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from belong.collectives.models import Business, Partner
from belong.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db

HEADER = "name,category,ownership,certifications,area_served,email,website\n"


def business(name, **fields):
    fields.setdefault("category", "Catering")
    fields.setdefault("status", Business.Status.APPROVED)
    return Business.objects.create(name=name, **fields)


def upload(text, name="entries.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_visitors_are_sent_to_sign_in(client):
    for path in (
        "/collectives/businesses/",
        "/collectives/partners/",
        "/collectives/businesses.csv",
    ):
        assert client.get(path).status_code == 302


def test_search_and_filters_show_approved_entries_only(client, alice):
    business("Mercado Catering", ownership="Latinx-owned", certifications="CERT SBE")
    business("Northside Print", category="Printing", certifications="MBE, WBE")
    business("Hidden Suggestion", status=Business.Status.SUGGESTED)
    client.force_login(alice)
    page = client.get("/collectives/businesses/").content.decode()
    assert "Mercado Catering" in page and "Northside Print" in page
    assert "Hidden Suggestion" not in page
    found = client.get("/collectives/businesses/", {"q": "latinx"}).content.decode()
    assert "Mercado Catering" in found and "Northside Print" not in found
    printing = client.get("/collectives/businesses/", {"category": "printing"}).content.decode()
    assert "Northside Print" in printing and "Mercado Catering" not in printing
    wbe = client.get("/collectives/businesses/", {"certification": "WBE"}).content.decode()
    assert "Northside Print" in wbe and "Mercado Catering" not in wbe


def test_partners_filter_by_area_of_focus(client, alice, focus_areas):
    near = Partner.objects.create(name="Health Alliance", category="Health", status="approved")
    near.focus_areas.set([focus_areas[0]])
    Partner.objects.create(name="Food Shelf", category="Food", status="approved")
    client.force_login(alice)
    page = client.get("/collectives/partners/", {"area": focus_areas[0].slug}).content.decode()
    assert "Health Alliance" in page and "Food Shelf" not in page


def test_suggest_then_review_then_listed(client, alice, frank):
    client.force_login(alice)
    response = client.post(
        "/collectives/businesses/suggest/",
        {"name": "Café Ñandú", "category": "Coffee", "website": "https://example.org/cafe"},
    )
    assert response.status_code == 302
    entry = Business.objects.get(name="Café Ñandú")
    assert entry.status == "suggested" and entry.suggested_by == alice
    assert OutboundMessage.objects.filter(to_email=frank.email).exists()
    assert "Café Ñandú" not in client.get("/collectives/businesses/").content.decode()
    # a member may not review
    assert (
        client.post(
            f"/collectives/directory/businesses/{entry.pk}/review/", {"decision": "approve"}
        ).status_code
        == 403
    )
    client.force_login(frank)
    assert "Café Ñandú" in client.get("/collectives/directory/review/").content.decode()
    response = client.post(
        f"/collectives/directory/businesses/{entry.pk}/review/", {"decision": "approve"}
    )
    assert response.status_code == 302
    client.force_login(alice)
    assert "Café Ñandú" in client.get("/collectives/businesses/").content.decode()


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
    assert not Business.objects.exists()


def test_review_refuses_unknown_decisions_and_kinds(client, frank):
    entry = business("Pending", status=Business.Status.SUGGESTED)
    client.force_login(frank)
    bad = client.post(f"/collectives/directory/businesses/{entry.pk}/review/", {"decision": "x"})
    assert bad.status_code == 400 and "approve or decline" in bad.content.decode()
    assert (
        client.post(
            f"/collectives/directory/spaceships/{entry.pk}/review/", {"decision": "approve"}
        ).status_code
        == 404
    )
    assert client.get(f"/collectives/directory/businesses/{entry.pk}/review/").status_code == 405
    entry.refresh_from_db()
    assert entry.status == "suggested"


def test_only_dei_administrators_edit_import_and_review(client, alice, frank):
    entry = business("Mercado")
    client.force_login(alice)
    for path in (
        f"/collectives/businesses/{entry.pk}/edit/",
        "/collectives/businesses/import/",
        "/collectives/directory/review/",
    ):
        assert client.get(path).status_code == 403
    client.force_login(frank)
    response = client.post(
        f"/collectives/businesses/{entry.pk}/edit/",
        {"name": "Mercado Central", "category": "Catering"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.name == "Mercado Central"


# -- import and export ----------------------------------------------------------------------


def test_import_applies_nothing_when_one_row_is_bad(client, frank):
    rows = (
        "".join(f"Shop {i},Retail,,,,,\n" for i in range(5)) + "Bad Shop,Retail,,,,not-an-email,\n"
    )
    client.force_login(frank)
    response = client.post("/collectives/businesses/import/", {"file": upload(HEADER + rows)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 7" in body and "email" in body
    assert not Business.objects.exists()


def test_import_creates_and_updates_and_approves(client, frank):
    business("Mercado", category="Catering", ownership="old")
    text = (
        HEADER
        + "mercado,catering,Latinx-owned,,,,\nNew Shop,Retail,,,Duluth,,https://example.org\n"
    )
    client.force_login(frank)
    response = client.post("/collectives/businesses/import/", {"file": upload(text)})
    assert response.status_code == 302
    assert Business.objects.count() == 2
    assert Business.objects.get(name__iexact="mercado").ownership == "Latinx-owned"
    assert Business.objects.get(name="New Shop").status == "approved"


@pytest.mark.parametrize(
    ("text", "encoding", "message"),
    [
        ("name,category,colour\nA,B,red\n", "utf-8", "Unknown columns: colour"),
        ("name\nA\n", "utf-8", "Missing columns: category"),
        (HEADER + "Café,Food,,,,,\n", "latin-1", "UTF-8"),
        ("", "utf-8", "empty"),
        (HEADER + "A,B\n", "utf-8", "cells"),
    ],
)
def test_bad_files_are_refused_with_a_reason(client, frank, text, encoding, message):
    client.force_login(frank)
    response = client.post(
        "/collectives/businesses/import/", {"file": upload(text, encoding=encoding)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Business.objects.exists()


def test_a_bom_is_accepted_and_a_too_large_file_refused(client, frank, settings):
    client.force_login(frank)
    response = client.post(
        "/collectives/businesses/import/", {"file": upload("\ufeff" + HEADER + "A,B,,,,,\n")}
    )
    assert response.status_code == 302 and Business.objects.filter(name="A").exists()
    settings.DIRECTORY_IMPORT_MAX_MB = 1
    big = upload(HEADER + "x" * (1024 * 1024 + 10))
    response = client.post("/collectives/businesses/import/", {"file": big})
    assert response.status_code == 400 and "larger than 1 MB" in response.content.decode()


def test_export_guards_formulas_and_round_trips(client, alice, frank, focus_areas):
    business("=HYPERLINK(1)", ownership="+evil", certifications="MBE")
    partner = Partner.objects.create(name="Alliance", category="Health", status="approved")
    partner.focus_areas.set(focus_areas[:2])
    client.force_login(alice)
    exported = client.get("/collectives/businesses.csv").content.decode()
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[1][0] == "'=HYPERLINK(1)" and rows[1][2] == "'+evil"
    partners = client.get("/collectives/partners.csv").content.decode()
    Business.objects.all().delete()
    Partner.objects.all().delete()
    client.force_login(frank)
    assert (
        client.post("/collectives/businesses/import/", {"file": upload(exported)}).status_code
        == 302
    )
    assert (
        client.post("/collectives/partners/import/", {"file": upload(partners)}).status_code == 302
    )
    restored = Business.objects.get()
    assert (restored.name, restored.ownership) == ("=HYPERLINK(1)", "+evil")
    assert set(Partner.objects.get().focus_areas.all()) == set(focus_areas[:2])


def test_the_directory_keeps_its_query_count(client, alice, django_assert_max_num_queries):
    client.force_login(alice)
    for i in range(3):
        business(f"Shop {i}")
    with django_assert_max_num_queries(20) as few:
        client.get("/collectives/businesses/")
    for i in range(3, 30):
        business(f"Shop {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/collectives/businesses/").status_code == 200


def test_wrong_methods(client, alice):
    client.force_login(alice)
    assert client.post("/collectives/businesses/").status_code == 405
    assert client.post("/collectives/businesses.csv").status_code == 405
    assert client.put("/collectives/businesses/suggest/").status_code == 405
