"""The leaders' pages: overview, the collective's page, members (and CSV), leader roles."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from belong.collectives.models import Collective, Experience, LeaderRole, Recommendation
from belong.people.models import AuditEvent
from tests.builders import make_person

pytestmark = pytest.mark.django_db

MANAGE = "/collectives/rainbow/manage/"
PAGE = MANAGE + "page/"
MEMBERS = MANAGE + "members/"
MEMBERS_CSV = MANAGE + "members.csv"
LEADERS = MANAGE + "leaders/"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded images go to the test's own folders, not var/media and var/public."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_MEDIA_ROOT = tmp_path / "public"


def png(size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "purple").save(buffer, format="PNG")
    return SimpleUploadedFile("banner.png", buffer.getvalue(), content_type="image/png")


def page_data(**changes):
    data = {
        "summary": "New summary.",
        "mission": "Our mission.",
        "vision": "Our vision.",
        "commitments": "First\nSecond",
        "image_alt": "",
    }
    data.update(changes)
    return data


# -- who may open what ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "overview", "members", "leaders"),
    [
        ("bob", 200, 200, 403),  # the leader
        ("frank", 200, 403, 200),  # a DEI administrator: not the members list
        ("alice", 403, 403, 403),  # a member
        ("dave", 403, 403, 403),  # an outsider
    ],
)
def test_who_opens_each_page(
    client, request, leads, alice, join, collective, who, overview, members, leaders
):
    join(alice, collective)
    client.force_login(request.getfixturevalue(who))
    assert client.get(MANAGE).status_code == overview
    assert client.get(PAGE).status_code == overview
    assert client.get(MEMBERS).status_code == members
    assert client.get(MEMBERS_CSV).status_code == members
    assert client.get(LEADERS).status_code == leaders


def test_visitors_are_sent_to_sign_in(client, collective):
    for path in (MANAGE, PAGE, MEMBERS, MEMBERS_CSV, LEADERS):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_a_leader_whose_term_ended_is_refused(client, bob, leads, collective):
    LeaderRole.objects.filter(pk=leads.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(bob)
    for path in (MANAGE, PAGE, MEMBERS, MEMBERS_CSV, LEADERS):
        assert client.get(path).status_code == 403
    assert client.post(PAGE, page_data()).status_code == 403
    collective.refresh_from_db()
    assert collective.summary == "LGBTQ+ team members and allies."


def test_a_dei_administrator_who_also_leads_sees_the_members(
    client, frank, alice, join, collective
):
    join(alice, collective)
    LeaderRole.objects.create(collective=collective, person=frank, title="executive_sponsor")
    client.force_login(frank)
    assert client.get(MEMBERS).status_code == 200
    assert client.get(MEMBERS_CSV).status_code == 200
    assert MEMBERS in client.get(MANAGE).content.decode()


@pytest.mark.parametrize("who", ["alice", "dave"])
def test_a_member_or_an_outsider_cannot_change_anything(
    client, request, leads, alice, join, collective, who
):
    join(alice, collective)
    client.force_login(request.getfixturevalue(who))
    assert client.post(PAGE, page_data()).status_code == 403
    start = {"email": "dave@example.org", "title": "chair", "starts_on": timezone.localdate()}
    assert client.post(LEADERS, start).status_code == 403
    assert client.post(f"{LEADERS}{leads.pk}/end/").status_code == 403
    collective.refresh_from_db()
    assert collective.summary == "LGBTQ+ team members and allies."
    assert list(LeaderRole.objects.all()) == [leads] and leads.is_current()


def test_a_visitor_posting_is_sent_to_sign_in_and_changes_nothing(client, leads, collective):
    for path, data in (
        (PAGE, page_data()),
        (LEADERS, {"email": "alice@example.org", "title": "chair"}),
        (f"{LEADERS}{leads.pk}/end/", {}),
    ):
        response = client.post(path, data)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]
    collective.refresh_from_db()
    assert collective.summary == "LGBTQ+ team members and allies."
    assert LeaderRole.objects.get(pk=leads.pk).ends_on is None


def test_the_overview_links_every_tool(client, bob, leads, collective):
    client.force_login(bob)
    body = client.get(MANAGE).content.decode()
    for path in (
        "page/",
        "events/",
        "announcements/new/",
        "recommendations/",
        "experiences/",
        "members/",
    ):
        assert MANAGE + path in body
    assert LEADERS not in body  # naming leaders is for DEI administrators
    assert "new</span>" not in body and "draft</span>" not in body  # nothing waits


def test_the_overview_shows_what_waits_for_the_leaders(client, bob, frank, leads, collective):
    day = timezone.localdate() - datetime.timedelta(days=1)
    for text in ("One.", "Two."):
        Experience.objects.create(collective=collective, text=text, shared_on=day)
    Experience.objects.create(
        collective=collective, text="Read.", state=Experience.State.READ, shared_on=day
    )
    Experience.objects.create(collective=collective, text="Today: seen tomorrow.")
    Recommendation.objects.create(collective=collective, title="T", problem="P", proposal="Q")
    client.force_login(bob)
    body = client.get(MANAGE).content.decode()
    assert "2 new" in body and "1 draft" in body
    client.force_login(frank)
    body = client.get(MANAGE).content.decode()
    assert LEADERS in body and MEMBERS not in body  # names leaders; the members are not theirs


# -- the collective's page ------------------------------------------------------------------


def test_a_leader_edits_the_page(client, bob, leads, collective, focus_areas):
    client.force_login(bob)
    data = page_data(focus_areas=[focus_areas[2].pk], image=png(), image_alt="A purple banner")
    response = client.post(PAGE, data)
    assert response.status_code == 302
    collective.refresh_from_db()
    assert collective.summary == "New summary."
    assert [c.text for c in collective.commitments.all()] == ["First", "Second"]
    assert list(collective.focus_areas.all()) == [focus_areas[2]]
    assert collective.image and collective.image_alt == "A purple banner"
    assert "A purple banner" in client.get("/collectives/rainbow/").content.decode()


@pytest.mark.parametrize(("kind", "extension"), [("JPEG", "jpg"), ("WEBP", "webp")])
def test_jpeg_and_webp_are_accepted_and_stored_under_their_own_extension(
    client, bob, leads, collective, kind, extension
):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, format=kind)
    upload = SimpleUploadedFile("page.html", buffer.getvalue(), content_type="text/html")
    client.force_login(bob)
    response = client.post(PAGE, page_data(image=upload, image_alt="A teal square"))
    assert response.status_code == 302
    collective.refresh_from_db()
    assert collective.image.name.startswith("collectives/page")
    assert collective.image.name.endswith(f".{extension}")


def test_a_leader_removes_the_image(client, bob, leads, collective):
    client.force_login(bob)
    client.post(PAGE, page_data(image=png(), image_alt="A purple banner"))
    collective.refresh_from_db()
    assert collective.image
    form = client.get(PAGE).context["form"]
    assert "remove_image" in form.fields and form.initial["image_alt"] == "A purple banner"
    assert client.post(PAGE, page_data(remove_image="on")).status_code == 302
    collective.refresh_from_db()
    assert not collective.image and collective.image_alt == ""


def test_a_kept_image_still_needs_its_description(client, bob, leads, collective):
    client.force_login(bob)
    client.post(PAGE, page_data(image=png(), image_alt="A purple banner"))
    response = client.post(PAGE, page_data(image_alt=""))
    assert response.status_code == 400 and "image_alt" in response.context["form"].errors
    collective.refresh_from_db()
    assert collective.image_alt == "A purple banner" and collective.summary == "New summary."


def test_a_picture_with_too_many_pixels_is_a_400(client, bob, leads, collective, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10)  # 8 x 8 is more than twice as many
    client.force_login(bob)
    response = client.post(PAGE, page_data(image=png(), image_alt="A banner"))
    assert response.status_code == 400
    assert "too many pixels" in str(response.context["form"].errors["image"])
    collective.refresh_from_db()
    assert not collective.image


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_144_megapixel_png_is_a_400(client, bob, leads, collective):
    from tests.lib.test_images import png_of

    bomb = SimpleUploadedFile("banner.png", png_of(12_000, 12_000), content_type="image/png")
    client.force_login(bob)
    response = client.post(PAGE, page_data(image=bomb, image_alt="A banner"))
    assert response.status_code == 400
    assert "too many pixels" in str(response.context["form"].errors["image"])
    collective.refresh_from_db()
    assert not collective.image


def test_a_png_html_polyglot_is_stored_without_its_html(client, bob, leads, collective):
    html = b"<html><script>alert(1)</script></html>"
    polyglot = SimpleUploadedFile("banner.png", png().read() + html, content_type="image/png")
    client.force_login(bob)
    response = client.post(PAGE, page_data(image=polyglot, image_alt="A purple banner"))
    assert response.status_code == 302
    collective.refresh_from_db()
    with collective.image.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"\x89PNG") and b"<script" not in data and b"<html" not in data


@pytest.mark.parametrize(
    ("upload", "alt", "field", "message"),
    [
        ("png", "", "image_alt", "Describe the image"),
        ("fake", "A banner", "image", "JPEG, PNG or WebP"),
        ("large", "A banner", "image", "larger than"),
    ],
)
def test_a_bad_image_is_a_400_naming_the_field_and_changes_nothing(
    client, bob, leads, collective, settings, upload, alt, field, message
):
    settings.COLLECTIVE_IMAGE_MAX_MB = 1
    files = {
        "png": png(),
        "fake": SimpleUploadedFile("banner.png", b"not an image at all", content_type="image/png"),
        "large": SimpleUploadedFile(
            "banner.png", b"x" * (1024 * 1024 + 1), content_type="image/png"
        ),
    }
    client.force_login(bob)
    response = client.post(PAGE, page_data(image=files[upload], image_alt=alt))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    collective.refresh_from_db()
    assert collective.summary == "LGBTQ+ team members and allies." and not collective.image


def test_a_gif_named_png_is_refused(client, bob, leads, collective):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, format="GIF")
    upload = SimpleUploadedFile("banner.png", buffer.getvalue(), content_type="image/png")
    client.force_login(bob)
    response = client.post(PAGE, page_data(image=upload, image_alt="A teal square"))
    assert response.status_code == 400 and "image" in response.context["form"].errors
    collective.refresh_from_db()
    assert not collective.image and collective.summary == "LGBTQ+ team members and allies."


def test_the_form_says_what_images_it_takes(client, bob, leads, collective, settings):
    settings.COLLECTIVE_IMAGE_MAX_MB = 3
    client.force_login(bob)
    body = client.get(PAGE).content.decode()
    assert "at most 3 MB" in body
    assert 'accept="image/jpeg,image/png,image/webp"' in body
    assert 'enctype="multipart/form-data"' in body


def test_commitments_given_to_a_page_with_none_are_shown_to_visitors_at_once(
    client, bob, leads, collective, settings
):
    """The visitors' cached copy of the page gets a new version (belong.lib.page_cache)."""
    settings.COLLECTIVES_CACHE_SECONDS = 30
    collective.commitments.all().delete()
    client.force_login(bob)  # (signing in saves bob, which makes a new version too)
    visitor = Client()
    assert "Meet every month" not in visitor.get("/collectives/rainbow/").content.decode()
    unchanged = {
        "summary": collective.summary,
        "mission": collective.mission,
        "vision": collective.vision,
        "focus_areas": [area.pk for area in collective.focus_areas.all()],
    }
    response = client.post(PAGE, page_data(commitments="Meet every month", **unchanged))
    assert response.status_code == 302
    assert "Meet every month" in visitor.get("/collectives/rainbow/").content.decode()


@pytest.mark.parametrize("who", ["bob", "frank"])
def test_an_unknown_collective_is_404(client, request, leads, who):
    client.force_login(request.getfixturevalue(who))
    for path in ("", "page/", "members/", "members.csv", "leaders/"):
        assert client.get(f"/collectives/nowhere/manage/{path}").status_code == 404


def test_wrong_methods(client, bob, frank, leads, collective):
    client.force_login(bob)
    for path in (MANAGE, MEMBERS, MEMBERS_CSV):
        assert client.post(path).status_code == 405
    assert client.put(PAGE).status_code == 405
    assert client.delete(PAGE).status_code == 405
    client.force_login(frank)
    assert client.get(f"{LEADERS}{leads.pk}/end/").status_code == 405
    assert client.put(LEADERS).status_code == 405
    assert client.delete(f"{LEADERS}{leads.pk}/end/").status_code == 405
    assert LeaderRole.objects.get(pk=leads.pk).is_current()


# -- members --------------------------------------------------------------------------------


def test_the_members_list_and_its_csv_hold_the_same_rows_and_are_audited(
    client, bob, leads, alice, dave, join, collective
):
    join(alice, collective, kind="ally", visibility="leaders")
    join(dave, collective, kind="member", visibility="organization")
    client.force_login(bob)
    body = client.get(MEMBERS).content.decode()
    assert "Alice Member" in body and "Dave Outsider" in body
    rows = list(csv.reader(io.StringIO(client.get(MEMBERS_CSV).content.decode())))
    assert rows[0] == ["name", "email", "as", "who may see it", "joined"]
    assert {(r[0], r[2], r[3]) for r in rows[1:]} == {
        ("Alice Member", "ally", "leaders"),
        ("Dave Outsider", "member", "organization"),
    }
    allies = client.get(MEMBERS, {"kind": "ally"}).content.decode()
    assert "Alice Member" in allies and "Dave Outsider" not in allies
    entries = AuditEvent.objects.filter(verb__startswith="collective.members_")
    assert {e.verb for e in entries} == {"collective.members_viewed", "collective.members_exported"}
    assert entries.count() == 3  # every look: the list, the export, the filtered list
    for entry in entries:
        assert entry.actor == bob
        assert (entry.object_type, entry.object_id) == (
            "collectives.collective",
            str(collective.pk),
        )
        assert set(entry.detail) == {"kind"}  # the filter only: no one's name, address or id
        for person in (alice, dave):
            assert person.full_name not in str(entry.detail)
            assert person.email not in str(entry.detail)


@pytest.mark.parametrize("kind", ["", "member", "ally"])
def test_the_csv_holds_exactly_the_rows_of_the_page(
    client, bob, leads, alice, dave, grace, join, collective, other_collective, kind
):
    join(alice, collective, kind="ally", visibility="leaders")
    join(dave, collective, kind="member", visibility="members")
    join(grace, collective, kind="member", visibility="organization")
    join(grace, other_collective)  # another collective's: on neither
    client.force_login(bob)
    query = {"kind": kind} if kind else {}
    page_rows = [
        (
            m.person.display_name,
            m.person.email,
            m.kind,
            m.visibility,
            timezone.localtime(m.joined_at).date().isoformat(),
        )
        for m in client.get(MEMBERS, query).context["rows"]
    ]
    csv_rows = [
        tuple(row)
        for row in csv.reader(io.StringIO(client.get(MEMBERS_CSV, query).content.decode()))
    ][1:]
    assert csv_rows == page_rows
    expected = {"": 3, "member": 2, "ally": 1}[kind]
    assert len(page_rows) == expected


def test_an_unknown_kind_is_404(client, bob, leads, collective):
    client.force_login(bob)
    assert client.get(MEMBERS, {"kind": "everyone"}).status_code == 404
    assert client.get(MEMBERS_CSV, {"kind": "everyone"}).status_code == 404


def test_the_members_list_keeps_its_query_count(
    client, bob, leads, join, collective, django_assert_max_num_queries
):
    client.force_login(bob)

    def grow(n, start):
        for i in range(start, start + n):
            join(make_person(f"m{i}@example.org", f"Member {i}"), collective)

    grow(2, 0)
    with django_assert_max_num_queries(12) as small:
        client.get(MEMBERS)
    grow(20, 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(MEMBERS).status_code == 200


@pytest.mark.parametrize(
    ("name", "cell"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("-2+3", "'-2+3"),
        # Excel in Spanish locales splits lines on ";" as well.
        (";Eve", "';Eve"),
        ("Eve;=HYPERLINK(1)", "Eve;'=HYPERLINK(1)"),
    ],
)
def test_a_formula_in_a_name_is_not_run_by_a_spreadsheet(
    client, bob, leads, join, collective, name, cell
):
    join(make_person("eve@example.org", name), collective)
    client.force_login(bob)
    rows = list(csv.reader(io.StringIO(client.get(MEMBERS_CSV).content.decode())))
    assert rows[1][0] == cell


# -- leader roles ---------------------------------------------------------------------------


def test_a_dei_administrator_names_a_leader_and_ends_the_term(client, frank, alice, collective):
    client.force_login(frank)
    today = timezone.localdate()
    response = client.post(
        LEADERS,
        {
            "email": "ALICE@example.org",
            "title": "other",
            "other_title": "Treasurer",
            "starts_on": today,
        },
    )
    assert response.status_code == 302
    role = LeaderRole.objects.get(person=alice, collective=collective)
    assert role.label == "Treasurer" and role.is_current()
    client.force_login(alice)
    assert client.get(MANAGE).status_code == 200
    client.force_login(frank)
    assert client.post(f"{LEADERS}{role.pk}/end/").status_code == 302
    assert not LeaderRole.objects.filter(pk=role.pk).exists()  # a term begun today: withdrawn
    # A term that had begun ends yesterday: no longer current, kept in the history.
    earlier = LeaderRole.objects.create(
        collective=collective,
        person=alice,
        title="chair",
        starts_on=today - datetime.timedelta(days=90),
    )
    assert client.post(f"{LEADERS}{earlier.pk}/end/").status_code == 302
    earlier.refresh_from_db()
    assert not earlier.is_current() and earlier.ends_on == today - datetime.timedelta(days=1)
    body = client.get(LEADERS).content.decode()
    assert "Past terms" in body and "Terms to come" not in body


def test_a_term_to_come_is_listed_apart_and_can_be_withdrawn(client, frank, alice, collective):
    today = timezone.localdate()
    role = LeaderRole.objects.create(
        collective=collective,
        person=alice,
        title="co_chair",
        starts_on=today + datetime.timedelta(days=30),
    )
    client.force_login(frank)
    page = client.get(LEADERS)
    assert [r.pk for r in page.context["upcoming"]] == [role.pk]
    assert page.context["current"] == [] and page.context["past"] == []
    assert "Terms to come" in page.content.decode()
    response = client.post(f"{LEADERS}{role.pk}/end/", follow=True)
    assert "is withdrawn" in response.content.decode()
    assert not LeaderRole.objects.filter(pk=role.pk).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "nobody@example.org", "title": "chair"}, "email"),
        ({"email": "alice@example.org", "title": "other", "other_title": ""}, "other_title"),
        ({"email": "alice@example.org", "title": "emperor"}, "title"),
        ({"email": "alice@example.org", "title": "chair", "ends_on": "2000-01-01"}, "ends_on"),
    ],
)
def test_bad_leader_input_is_a_400_naming_the_field(client, frank, alice, collective, data, field):
    client.force_login(frank)
    response = client.post(LEADERS, {"starts_on": timezone.localdate(), **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not LeaderRole.objects.exists()


def test_a_dei_administrator_cannot_name_themselves(client, frank, collective):
    client.force_login(frank)
    response = client.post(
        LEADERS,
        {"email": "FRANK@example.org", "title": "chair", "starts_on": timezone.localdate()},
    )
    assert response.status_code == 400
    assert "Nobody names themselves" in response.content.decode()
    assert not LeaderRole.objects.exists()
    assert client.get(MEMBERS).status_code == 403


def test_a_leader_cannot_name_leaders_or_end_terms(client, bob, leads, alice, collective):
    client.force_login(bob)
    assert (
        client.post(
            LEADERS,
            {"email": "alice@example.org", "title": "chair", "starts_on": timezone.localdate()},
        ).status_code
        == 403
    )
    assert client.post(f"{LEADERS}{leads.pk}/end/").status_code == 403
    assert LeaderRole.objects.get(pk=leads.pk).is_current()


def test_ending_a_term_of_another_collective_is_404(client, frank, leads, other_collective):
    client.force_login(frank)
    assert client.post(f"/collectives/harmony/manage/leaders/{leads.pk}/end/").status_code == 404
    assert Collective.objects.filter(slug="harmony").exists()
