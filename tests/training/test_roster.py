"""The roster of a session: who may see it, what it shows, attendance in bulk, the CSV export
and its guard against spreadsheet formulas, and its query budget."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from belong.events import actions
from belong.events.models import Registration
from belong.people.models import AuditEvent, OrgUnit
from belong.training.views.manage import csv_cell
from tests.builders import (
    event_row,
    make_course,
    make_registration,
    make_session,
    new_facilitator,
    new_person,
)
from tests.training.html_support import parse

pytestmark = pytest.mark.django_db

State = Registration.State


def roster_url(event):
    return f"/training/manage/sessions/{event.pk}/"


def csv_url(event):
    return f"/training/manage/sessions/{event.pk}/roster.csv"


def attendance_url(event):
    return f"/training/manage/sessions/{event.pk}/attendance/"


def rows_of(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# --- who may see it --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("alice", 403), ("dave", 403), ("carol", 200), ("frank", 200)]
)
@pytest.mark.parametrize("page", [roster_url, csv_url])
def test_the_role_table(client, who, status, page, request):
    event = make_session(make_course())
    client.force_login(request.getfixturevalue(who))
    assert client.get(page(event)).status_code == status


@pytest.mark.parametrize("page", [roster_url, csv_url])
def test_a_facilitator_sees_their_session_only(client, page):
    fay, other = new_facilitator(), new_facilitator()
    mine = make_session(make_course(), facilitators=[fay])
    theirs = make_session(make_course(), facilitators=[other])
    client.force_login(fay)
    assert client.get(page(mine)).status_code == 200
    assert client.get(page(theirs)).status_code == 403


@pytest.mark.parametrize("page", [roster_url, csv_url])
def test_a_visitor_is_sent_to_sign_in(client, page):
    event = make_session(make_course())
    response = client.get(page(event))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=/training/manage/sessions/")


@pytest.mark.parametrize("page", [roster_url, csv_url])
def test_the_roster_is_never_cached(client, carol, page):
    client.force_login(carol)
    cache_control = client.get(page(make_session(make_course())))["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_a_missing_session_is_not_found(client, carol):
    client.force_login(carol)
    assert client.get("/training/manage/sessions/999999/").status_code == 404
    assert client.get("/training/manage/sessions/999999/roster.csv").status_code == 404


def test_the_roster_refuses_other_methods(client, carol):
    client.force_login(carol)
    event = make_session(make_course())
    assert client.post(roster_url(event)).status_code == 405
    assert client.post(csv_url(event)).status_code == 405


# --- what it shows ---------------------------------------------------------------------------


def test_the_roster_lists_seats_waitlist_in_order_and_cancellations(client, carol):
    unit = OrgUnit.objects.create(name="Pediatrics", slug="peds", kind=OrgUnit.Kind.DEPARTMENT)
    event = make_session(make_course(title="Implicit Bias"), capacity=2, minimum=0)
    first = new_person("ana", org_unit=unit)
    second = new_person("ben")
    waiting_one, waiting_two, gone = new_person("cy"), new_person("di"), new_person("ed")
    for person in (first, second, waiting_one, waiting_two, gone):
        actions.register(event.pk, person=person)
    actions.set_prework_done(event.pk, person=first)
    actions.cancel_registration(event.pk, person=gone)
    client.force_login(carol)
    response = client.get(roster_url(event))
    page = response.content.decode()
    assert [r.person for r in response.context["seated"]] == [first, second]
    assert [(r.person, r.position) for r in response.context["waitlist"]] == [
        (waiting_one, 1),
        (waiting_two, 2),
    ]
    assert response.context["cancelled_count"] == 1
    assert first.email in page and "Pediatrics" in page
    assert "Done (" in page and "Not yet" in page
    assert response.context["prework_done"] == 1
    assert gone.email not in page


def test_before_the_start_attendance_is_explained_not_offered(client, carol):
    event = make_session(make_course())
    actions.register(event.pk, person=new_person("learner"))
    client.force_login(carol)
    response = client.get(roster_url(event))
    page = response.content.decode()
    assert "Attendance can be recorded here once the session has started." in page
    assert "Save attendance" not in page


def test_an_invitation_session_shows_its_link(client, carol):
    event = make_session(make_course(), visibility="invitation")
    client.force_login(carol)
    page = client.get(roster_url(event)).content.decode()
    assert f"?code={event.invitation_code}" in page


def _roster_queries(client, event):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(roster_url(event)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("started", [False, True])
def test_the_roster_makes_as_many_queries_for_many_people_as_for_one(
    client, carol, started, django_assert_max_num_queries
):
    unit = OrgUnit.objects.create(name="Surgery", slug="surgery", kind=OrgUnit.Kind.DEPARTMENT)
    host = make_course()
    event = (
        event_row(host=host, ago=datetime.timedelta(hours=3), minimum=6)
        if started
        else make_session(host, capacity=30)
    )
    make_registration(event, new_person("learner", org_unit=unit))
    make_registration(event, new_person("learner"), state=State.WAITLISTED)
    client.force_login(carol)
    one = _roster_queries(client, event)
    for _ in range(20):
        make_registration(
            event, new_person("learner", org_unit=unit), prework_done_at=timezone.now()
        )
        make_registration(event, new_person("learner"), state=State.WAITLISTED)
        make_registration(event, new_person("learner"), state=State.CANCELLED)
    assert _roster_queries(client, event) == one
    with django_assert_max_num_queries(8):
        client.get(roster_url(event))


# --- attendance ------------------------------------------------------------------------------


def test_attendance_in_bulk(client, carol):
    event = event_row(host=make_course(), ago=datetime.timedelta(hours=3), minimum=6)
    came, missed, unknown = new_person("learner"), new_person("learner"), new_person("learner")
    regs = {person: make_registration(event, person) for person in (came, missed, unknown)}
    client.force_login(carol)
    page = client.get(roster_url(event)).content.decode()
    assert "Save attendance" in page and "Mark everyone present" in page
    response = client.post(
        attendance_url(event),
        {
            f"attendance-{regs[came].pk}": "present",
            f"attendance-{regs[missed].pk}": "absent",
        },
    )
    assert response.status_code == 302
    states = {person: Registration.objects.get(pk=reg.pk).state for person, reg in regs.items()}
    assert states == {came: State.ATTENDED, missed: State.NO_SHOW, unknown: State.REGISTERED}
    audit = AuditEvent.objects.get(verb="event.attendance")
    assert audit.actor == carol and audit.detail["changed"] == 2
    follow = client.get(response["Location"])
    assert "Attendance saved: 2 people changed." in follow.content.decode()


@pytest.mark.parametrize("started", [True, False])
def test_attendance_comes_right_after_the_name(client, carol, started):
    """On a phone the table scrolls sideways: the column a facilitator works in (the radios, or
    the state before the start) is the second, beside the row's name; each row's radios are a
    group named after the person."""
    host = make_course()
    event = (
        event_row(host=host, ago=datetime.timedelta(hours=3), minimum=6)
        if started
        else make_session(host)
    )
    ana, ben = new_person("ana"), new_person("ben")
    regs = {person: make_registration(event, person) for person in (ana, ben)}
    client.force_login(carol)
    document = parse(client.get(roster_url(event)).content.decode())

    table = document.by_id("registered-title").parent.find("table")
    headers = table.find("thead").find_all("th")
    assert all(th.attrs.get("scope") == "col" for th in headers)
    assert [th.text() for th in headers][:2] == ["Name", "Attendance"]
    rows = table.find("tbody").find_all("tr")
    assert len(rows) == len(regs)
    for row in rows:
        cells = [node for node in row.children if getattr(node, "tag", None) in ("th", "td")]
        assert len(cells) == len(headers)
        name, attendance = cells[0], cells[1]
        assert name.tag == "th" and name.attrs.get("scope") == "row"
        person = ana if name.text() == ana.display_name else ben
        if started:
            group = attendance.find("fieldset")
            assert group.find("legend").text() == f"Attendance of {person.display_name}"
            radios = group.find_all("input", type="radio")
            assert {radio.attrs["name"] for radio in radios} == {f"attendance-{regs[person].pk}"}
        else:
            assert attendance.text() == "Not recorded"
        assert cells[2].text() == person.email


def test_mark_everyone_present(client, carol):
    event = event_row(host=make_course(), ago=datetime.timedelta(hours=3), minimum=6)
    regs = [make_registration(event, new_person("learner")) for _ in range(3)]
    regs.append(make_registration(event, new_person("learner"), state=State.NO_SHOW))
    waiting = make_registration(event, new_person("learner"), state=State.WAITLISTED)
    client.force_login(carol)
    response = client.post(attendance_url(event), {"all_present": "1"})
    assert response.status_code == 302
    assert {Registration.objects.get(pk=r.pk).state for r in regs} == {State.ATTENDED}
    waiting.refresh_from_db()
    assert waiting.state == State.WAITLISTED


def test_a_facilitator_marks_attendance_of_their_session(client):
    fay = new_facilitator()
    event = event_row(host=make_course(), ago=datetime.timedelta(hours=3), minimum=6)
    event.facilitators.add(fay)
    registration = make_registration(event, new_person("learner"))
    client.force_login(fay)
    response = client.post(attendance_url(event), {f"attendance-{registration.pk}": "present"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.state == State.ATTENDED


def test_attendance_before_the_start_is_refused(client, carol):
    event = make_session(make_course())
    registration = make_registration(event, new_person("learner"))
    client.force_login(carol)
    response = client.post(attendance_url(event), {f"attendance-{registration.pk}": "present"})
    assert response.status_code == 409
    assert "Attendance can be recorded once the session has started." in response.content.decode()
    registration.refresh_from_db()
    assert registration.state == State.REGISTERED


def test_an_unknown_answer_is_refused(client, carol):
    event = event_row(host=make_course(), ago=datetime.timedelta(hours=3), minimum=6)
    registration = make_registration(event, new_person("learner"))
    client.force_login(carol)
    response = client.post(attendance_url(event), {f"attendance-{registration.pk}": "maybe"})
    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.state == State.REGISTERED


@pytest.mark.parametrize("who", ["alice", "dave"])
def test_attendance_is_refused_to_others(client, who, request):
    event = event_row(host=make_course(), ago=datetime.timedelta(hours=3), minimum=6)
    registration = make_registration(event, new_person("learner"))
    client.force_login(request.getfixturevalue(who))
    response = client.post(attendance_url(event), {"all_present": "1"})
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.state == State.REGISTERED


def test_a_facilitator_of_another_session_cannot_mark(client):
    event = event_row(host=make_course(), ago=datetime.timedelta(hours=3), minimum=6)
    registration = make_registration(event, new_person("learner"))
    client.force_login(new_facilitator())
    assert client.post(attendance_url(event), {"all_present": "1"}).status_code == 403
    registration.refresh_from_db()
    assert registration.state == State.REGISTERED


def test_attendance_is_a_post(client, carol):
    client.force_login(carol)
    assert (
        client.get(
            attendance_url(
                event_row(
                    host=make_course(),
                    ago=datetime.timedelta(hours=3),
                    minimum=6,
                )
            )
        ).status_code
        == 405
    )


def test_attendance_sends_a_visitor_to_sign_in(client):
    response = client.post(
        attendance_url(event_row(host=make_course(), ago=datetime.timedelta(hours=3), minimum=6)),
        {"all_present": "1"},
    )
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


# --- the CSV export ----------------------------------------------------------------------------


def test_the_csv_lists_seats_then_the_waitlist(client, carol):
    unit = OrgUnit.objects.create(name="Nursing", slug="nursing", kind=OrgUnit.Kind.DEPARTMENT)
    event = make_session(make_course(), capacity=1, minimum=0)
    seated, waiting = new_person("ana", org_unit=unit), new_person("ben")
    actions.register(event.pk, person=seated)
    actions.register(event.pk, person=waiting)
    actions.set_prework_done(event.pk, person=seated)
    client.force_login(carol)
    response = client.get(csv_url(event))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="roster-{event.pk}-')
    rows = rows_of(response)
    assert rows[0] == [
        "Name",
        "Email",
        "Org unit",
        "Status",
        "Registered at",
        "Pre-work done at",
        "Waitlist position",
    ]
    assert rows[1][:4] == [seated.display_name, seated.email, "Nursing", "Registered"]
    assert rows[1][5] != "" and rows[1][6] == ""
    assert rows[2][1:4] == [waiting.email, "", "Waitlisted"] and rows[2][6] == "1"
    registered_at = timezone.localtime(Registration.objects.get(person=seated).requested_at)
    assert rows[1][4] == registered_at.strftime("%Y-%m-%d %H:%M")


def test_the_csv_guards_against_formulas(client, carol):
    event = make_session(make_course(), minimum=0)
    unit = OrgUnit.objects.create(name="+Ops", slug="ops", kind=OrgUnit.Kind.DEPARTMENT)
    sly = new_person("sly", org_unit=unit)
    sly.full_name = '=HYPERLINK("http://evil.example","click")'
    sly.save()
    actions.register(event.pk, person=sly)
    client.force_login(carol)
    row = rows_of(client.get(csv_url(event)))[1]
    assert row[0] == '\'=HYPERLINK("http://evil.example","click")'
    assert row[2] == "'+Ops"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Ana", "Ana"),
        ("a=b", "a=b"),
        # Excel in Spanish locales splits on ";": a cell beginning with it, and every part
        # after one that begins like a formula, is guarded too.
        (";x", "';x"),
        ("Ana;=1+1", "Ana;'=1+1"),
        ("Ana; =1+1", "Ana; =1+1"),
        (None, ""),
        (3, "3"),
    ],
)
def test_csv_cells(value, cell):
    assert csv_cell(value) == cell


def test_the_csv_of_a_past_session_shows_attendance(client, carol):
    event = event_row(host=make_course(), ago=datetime.timedelta(hours=3), minimum=6)
    make_registration(
        event, new_person("learner"), state=State.ATTENDED, attendance_marked_at=timezone.now()
    )
    make_registration(event, new_person("learner"), state=State.NO_SHOW)
    client.force_login(carol)
    rows = rows_of(client.get(csv_url(event)))
    assert sorted(row[3] for row in rows[1:]) == ["Attended", "No-show"]


def test_the_roster_uses_the_installations_zone(client, carol, settings):
    settings.TIME_ZONE = "America/Chicago"
    start = datetime.datetime(2031, 1, 15, 18, 0, tzinfo=datetime.UTC)  # 12:00 in Chicago
    event = make_session(make_course(), start=start)
    client.force_login(carol)
    page = client.get(roster_url(event)).content.decode()
    assert "12:00" in page and "CST" in page
