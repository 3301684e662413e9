"""CSV import (all or nothing, problems by line and field, header, encoding, size, updates by
name and category) and export (approved entries, formulas guarded, imports again unchanged),
through the action and the import page."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from belong.collectives.actions import directories as actions
from belong.collectives.models import Business, Partner
from belong.lib.spreadsheet import FORMULA_STARTS
from belong.people.models import AuditEvent
from tests.builders import make_business

pytestmark = pytest.mark.django_db

HEADER = "name,category,ownership,certifications,area_served,email,website\n"


def upload(text, name="entries.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def refused(kind, text, actor, encoding="utf-8"):
    with pytest.raises(actions.ImportRefused) as caught:
        actions.import_csv(kind, upload(text, encoding=encoding), actor=actor)
    return caught.value


def snapshot(model):
    return sorted(model.objects.values_list("name", "category", "area_served", "status"))


# -- all or nothing, with line numbers --------------------------------------------------------


def test_one_bad_row_at_line_7_changes_nothing_and_says_line_7(client, frank):
    make_business("Shop 0", category="Retail", area_served="Before")
    before = snapshot(Business)
    rows = "".join(f"Shop {i},Retail,,,After,,\n" for i in range(5))  # lines 2 to 6
    rows += "Bad Shop,Retail,,,,not-an-email,\n"  # line 7
    rows += "Shop 9,Retail,,,,,\n"  # line 8
    client.force_login(frank)
    response = client.post("/collectives/businesses/import/", {"file": upload(HEADER + rows)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 7, email:" in body and "Line 8" not in body
    assert "Nothing was changed" in body
    assert snapshot(Business) == before  # "Shop 0" not updated, nothing created
    assert not AuditEvent.objects.filter(verb="directory.imported").exists()


def test_every_bad_row_is_reported_with_its_line_and_field(frank):
    text = (
        HEADER
        + "Good,Retail,,,,,\n"  # 2
        + ",Retail,,,,,\n"  # 3: no name
        + "No Category,,,,,,\n"  # 4
        + "Bad Site,Retail,,,,,not a url\n"  # 5
        + "\n"  # 6: an empty line is skipped
        + f"{'L' * 201},Retail,,,,,\n"  # 7: too long
        + "good,retail,,,,,\n"  # 8: the same as line 2
    )
    problems = [(p.line, p.field) for p in refused("businesses", text, frank).errors]
    assert problems == [(3, "name"), (4, "category"), (5, "website"), (7, "name"), (8, "name")]
    assert not Business.objects.exists()


def test_a_cell_with_a_line_break_keeps_the_rows_numbered_as_a_spreadsheet_does(frank):
    text = HEADER + '"Two\nLines",Retail,,,,,\nBad,Retail,,,,x,\n'
    [problem] = refused("businesses", text, frank).errors
    assert (problem.line, problem.field) == (3, "email")


def test_rows_with_too_few_or_too_many_cells_are_named(frank):
    text = HEADER + "A,B\nC,D,,,,,,extra\n"
    problems = refused("businesses", text, frank).errors
    assert [(p.line, p.field) for p in problems] == [(2, "row"), (3, "row")]
    assert "2 cells" in problems[0].message and "7" in problems[0].message


def test_a_partner_row_with_an_unknown_area_of_focus_is_named(frank, focus_areas):
    text = f"name,category,focus_areas\nAlliance,Health,{focus_areas[0].slug};nowhere\n"
    [problem] = refused("partners", text, frank).errors
    assert (problem.line, problem.field) == (2, "focus_areas")
    assert "nowhere" in problem.message
    assert not Partner.objects.exists()


def test_many_problems_are_reported_up_to_a_limit(client, frank):
    text = HEADER + "".join(f"Shop {i},Retail,,,,bad,\n" for i in range(actions.MAX_REPORTED + 5))
    error = refused("businesses", text, frank)
    assert len(error.errors) == actions.MAX_REPORTED and error.more == 5
    client.force_login(frank)
    body = client.post("/collectives/businesses/import/", {"file": upload(text)}).content.decode()
    assert "And 5 more problems." in body


# -- the header, the encoding, the size -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,category,colour,Shoe Size\nA,B,red,9\n", "Unknown columns: colour, shoe size."),
        ("name,focus_areas\nA,x\n", "Unknown columns: focus_areas."),
        ("name\nA\n", "Missing columns: category"),
        ("name,category,name\nA,B,C\n", "Columns named twice: name."),
        # Each name once, counted once (counting each cell for each cell took minutes of a web
        # process for a header of 500,000 cells).
        ("name,category" + ",colour" * 50_000 + "\n", "Unknown columns: colour."),
        ("name,category" + ",colour" * 50_000 + "\n", "Columns named twice: colour."),
        ("", "empty"),
        ("\n\n", "empty"),
    ],
)
def test_a_bad_header_is_refused_naming_the_columns(client, frank, text, message):
    client.force_login(frank)
    response = client.post("/collectives/businesses/import/", {"file": upload(text)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Business.objects.exists()


def test_the_header_is_case_insensitive_and_in_any_order(frank):
    result = actions.import_csv(
        "businesses", upload("Category, NAME \nRetail,Corner Shop\n"), actor=frank
    )
    assert result == {"created": 1, "updated": 0}
    assert Business.objects.get().category == "Retail"


def test_a_byte_order_mark_is_accepted(frank):
    actions.import_csv("businesses", upload("\ufeff" + HEADER + "Ñandú,Café,,,,,\n"), actor=frank)
    assert Business.objects.get().name == "Ñandú"


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_a_file_in_another_encoding_is_refused_with_a_clear_message(client, frank, encoding):
    client.force_login(frank)
    response = client.post(
        "/collectives/businesses/import/",
        {"file": upload(HEADER + "Café Ñandú,Food,,,,,\n", encoding=encoding)},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "not UTF-8 text" in body and "CSV UTF-8" in body
    assert not Business.objects.exists()


def test_a_file_too_large_is_refused_before_it_is_read(client, frank, settings):
    settings.DIRECTORY_IMPORT_MAX_MB = 1
    client.force_login(frank)
    big = upload(HEADER + "x" * (1024 * 1024 + 10))
    response = client.post("/collectives/businesses/import/", {"file": big})
    assert response.status_code == 400
    assert "larger than 1 MB" in response.content.decode()
    assert not Business.objects.exists()


def test_a_binary_file_is_refused(frank):
    error = refused("businesses", "name,category\nA\x00,B\n", frank)
    assert error.errors[0].field == "file"


def test_no_file_is_a_400_on_the_field(client, frank):
    client.force_login(frank)
    response = client.post("/collectives/businesses/import/", {})
    assert response.status_code == 400 and "file" in response.context["form"].errors


# -- what an import does ----------------------------------------------------------------------


def test_rows_matching_name_and_category_update_and_the_others_create(frank):
    kept = make_business("Mercado", category="Catering", ownership="old", email="hola@example.org")
    declined = make_business("Former", category="Retail", status=Business.Status.DECLINED)
    text = (
        "name,category,ownership\n"
        "MERCADO,catering,Latinx-owned\n"
        "former,RETAIL,\n"
        "Mercado,Printing,\n"  # another category: another entry
    )
    result = actions.import_csv("businesses", upload(text), actor=frank)
    assert result == {"created": 1, "updated": 2}
    kept.refresh_from_db()
    declined.refresh_from_db()
    # The name keeps the file's spelling; a column the file leaves out keeps its value.
    assert (kept.name, kept.ownership, kept.email) == (
        "MERCADO",
        "Latinx-owned",
        "hola@example.org",
    )
    assert kept.status == declined.status == Business.Status.APPROVED  # the importer vouches
    assert Business.objects.count() == 3
    assert Business.objects.get(category="Printing").reviewed_at is not None
    event = AuditEvent.objects.get(verb="directory.imported")
    assert event.actor == frank and event.detail == {
        "kind": "businesses",
        "created": 1,
        "updated": 2,
    }


def test_only_dei_administrators_import(client, alice, bob, leads):
    for person in (alice, bob):
        with pytest.raises(PermissionDenied):
            actions.import_csv("businesses", upload(HEADER + "A,B,,,,,\n"), actor=person)
        client.force_login(person)
        response = client.post(
            "/collectives/businesses/import/", {"file": upload(HEADER + "A,B,,,,,\n")}
        )
        assert response.status_code == 403
    assert not Business.objects.exists()


def test_the_import_page_lists_the_columns_and_imports(client, frank, focus_areas):
    client.force_login(frank)
    page = client.get("/collectives/partners/import/").content.decode()
    assert "name, category, description" in page and "focus_areas" in page
    text = f"name,category,focus_areas\nAlliance,Health,{focus_areas[1].slug}\n"
    response = client.post("/collectives/partners/import/", {"file": upload(text)})
    assert response.status_code == 302 and response["Location"] == "/collectives/partners/"
    assert list(Partner.objects.get().focus_areas.all()) == [focus_areas[1]]


# -- export -----------------------------------------------------------------------------------


def test_export_lists_approved_entries_with_formulas_guarded(client, alice):
    make_business('=HYPERLINK("http://x")', ownership="+evil", certifications="-1+1")
    make_business("@SUM(A1)", area_served="\tTabbed", phone="+1 612 555 0100")
    make_business("Not Listed", status=Business.Status.SUGGESTED)
    client.force_login(alice)
    response = client.get("/collectives/businesses.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="businesses.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == list(actions.kind_of("businesses").columns)
    by_name = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {'\'=HYPERLINK("http://x")', "'@SUM(A1)"}
    guarded = by_name['\'=HYPERLINK("http://x")']
    assert (guarded["ownership"], guarded["certifications"]) == ("'+evil", "'-1+1")
    assert by_name["'@SUM(A1)"]["phone"] == "'+1 612 555 0100"
    assert by_name["'@SUM(A1)"]["area_served"] == "'\tTabbed"
    for row in rows[1:]:
        assert all(cell[:1] not in FORMULA_STARTS for cell in row)


def test_an_export_imports_again_unchanged(client, alice, frank, focus_areas):
    make_business(
        "=Formula Foods",
        category="Catering",
        ownership="-minus; Black-owned",
        certifications="MBE",
        description='Line one,\nline "two"',
        email="hola@example.org",
        phone="+1 612 555 0100",
        website="https://example.org/",
        area_served="Twin Cities",
        contact_name="Ana",
        address="1 Main St",
    )
    make_business(
        "Plain Print", category="Printing", contact_name="'=quoted on purpose", address="''@twice"
    )
    alliance = Partner.objects.create(name="Alliance", category="Health", status="approved")
    alliance.focus_areas.set(focus_areas[:2])
    Partner.objects.create(name="No Areas", category="Food", status="approved")
    fields = [*actions.kind_of("businesses").columns, "status"]
    before = sorted(Business.objects.values_list(*fields))
    client.force_login(alice)
    businesses = client.get("/collectives/businesses.csv").content.decode()
    partners = client.get("/collectives/partners.csv").content.decode()
    Business.objects.all().delete()
    Partner.objects.all().delete()
    assert actions.import_csv("businesses", upload(businesses), actor=frank)["created"] == 2
    assert actions.import_csv("partners", upload(partners), actor=frank)["created"] == 2
    assert sorted(Business.objects.values_list(*fields)) == before
    assert set(Partner.objects.get(name="Alliance").focus_areas.all()) == set(focus_areas[:2])
    assert not Partner.objects.get(name="No Areas").focus_areas.exists()
    # Importing the same file again updates, never duplicates.
    assert actions.import_csv("businesses", upload(businesses), actor=frank) == {
        "created": 0,
        "updated": 2,
    }


def test_excel_splitting_on_semicolons_finds_no_formula_and_the_export_imports_unchanged(
    client, alice, frank
):
    """Excel in Spanish locales opens a .csv by splitting its lines on ";": whatever follows a
    ";" is a cell there, and must not begin like a formula."""
    make_business(";Semicolon Shop", category='Food;=HYPERLINK("http://evil.example")')
    make_business("Plain;'-already guarded", ownership="a;@SUM(A1);b;;+1", phone="x;\t=1")
    fields = [*actions.kind_of("businesses").columns, "status"]
    before = sorted(Business.objects.values_list(*fields))
    client.force_login(alice)
    text = client.get("/collectives/businesses.csv").content.decode()
    for line in text.splitlines()[1:]:
        for piece in line.split(";")[1:]:
            assert piece[:1] not in FORMULA_STARTS, line
        assert line[:1] not in (*FORMULA_STARTS, ";"), line
    Business.objects.all().delete()
    assert actions.import_csv("businesses", upload(text), actor=frank)["created"] == 2
    assert sorted(Business.objects.values_list(*fields)) == before


def test_export_returns_text_or_writes_to_a_stream():
    make_business("Shop")
    text = actions.export_csv("businesses", actions.approved("businesses"))
    stream = io.StringIO()
    assert actions.export_csv("businesses", actions.approved("businesses"), stream) is None
    assert stream.getvalue() == text and "Shop" in text


def test_the_export_keeps_its_query_count(client, alice, focus_areas, django_assert_num_queries):
    client.force_login(alice)

    def add(count, start):
        for i in range(start, start + count):
            entry = Partner.objects.create(
                name=f"Partner {i}", category="Health", status="approved"
            )
            entry.focus_areas.set(focus_areas)

    add(2, 0)
    with django_assert_num_queries(4) as few:  # session, person, entries, their areas
        client.get("/collectives/partners.csv")
    add(20, 2)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/collectives/partners.csv")
    assert response.content.decode().count("\n") == 23
