"""Completed trainings and issuing certificates (belong.training.actions.certificates)."""

import datetime
import re
import threading
import zoneinfo

import pytest
from django.db import connection

from belong.events.models import Event, Registration
from belong.home.periodic import JOBS
from belong.training.actions import certificates
from belong.training.actions.certificates import (
    completed_courses,
    issue_certificates,
    normalize_code,
)
from belong.training.models import Certificate
from tests.builders import (
    event_row,
    make_attended,
    make_attended_session,
    make_course,
    make_person,
    make_registration,
)

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
CODE = re.compile(r"^BLG-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}$")


def test_nothing_before_attendance(alice):
    workshop = make_course()
    make_registration(event_row(host=workshop, days=-3), alice, state=Registration.State.REGISTERED)
    make_registration(
        event_row(host=make_course(), days=-3), alice, state=Registration.State.WAITLISTED
    )

    assert issue_certificates(person=alice) == []
    assert not Certificate.objects.exists()


def test_attending_earns_a_course_certificate_dated_in_the_installations_zone(alice):
    workshop = make_course(title="Implicit Bias")
    # 03:00 UTC on March 4th is still March 3rd in Chicago.
    make_attended_session(
        workshop, alice, start=datetime.datetime(2025, 3, 4, 3, 0, tzinfo=datetime.UTC)
    )

    [certificate] = issue_certificates(person=alice)

    assert certificate.person == alice
    assert certificate.kind == Certificate.Kind.COURSE
    assert certificate.course == workshop
    assert certificate.completed_on == datetime.date(2025, 3, 3)
    assert CODE.match(certificate.code)


def test_the_completion_date_is_the_earliest_attended_session(alice):
    workshop = make_course()
    make_attended_session(workshop, alice, start=datetime.datetime(2025, 5, 20, 15, tzinfo=CHICAGO))
    make_attended_session(workshop, alice, start=datetime.datetime(2025, 2, 10, 15, tzinfo=CHICAGO))

    assert completed_courses(alice) == {workshop.pk: datetime.date(2025, 2, 10)}
    [certificate] = issue_certificates(person=alice)
    assert certificate.completed_on == datetime.date(2025, 2, 10)


def test_a_no_show_does_not_count(alice):
    make_registration(
        event_row(host=make_course(), days=-3), alice, state=Registration.State.NO_SHOW
    )

    assert completed_courses(alice) == {}
    assert issue_certificates(person=alice) == []


def test_a_cancelled_session_does_not_count(alice):
    make_attended_session(make_course(), alice, status=Event.Status.CANCELLED)

    assert completed_courses(alice) == {}
    assert issue_certificates(person=alice) == []


def test_an_event_not_hosted_by_a_course_does_not_count(alice):
    start = datetime.datetime(2025, 1, 1, 15, tzinfo=CHICAGO)
    lecture = Event.objects.create(
        title="Dean's lecture",
        kind=Event.Kind.LECTURE,
        start=start,
        end=start + datetime.timedelta(hours=1),
    )
    make_attended(lecture, alice)

    assert issue_certificates(person=alice) == []


def test_issuing_is_idempotent(alice):
    make_attended_session(make_course(), alice)
    make_attended_session(make_course(), alice)

    first = issue_certificates(person=alice)
    second = issue_certificates(person=alice)

    assert len(first) == 2
    assert second == []
    assert Certificate.objects.filter(person=alice).count() == 2


def test_each_person_gets_their_own_certificate(alice, bob):
    workshop = make_course()
    event = event_row(host=workshop, days=-3)
    make_attended(event, alice)
    make_attended(event, bob)

    [mine] = issue_certificates(person=alice)
    [theirs] = issue_certificates(person=bob)

    assert mine.code != theirs.code
    assert {mine.person, theirs.person} == {alice, bob}


def test_the_foundational_certificate_needs_every_offered_foundational_course(alice):
    first = make_course(foundational=True)
    second = make_course(foundational=True)
    make_course(foundational=True, is_active=False)  # retired: not needed
    make_attended_session(first, alice, start=datetime.datetime(2025, 1, 10, 15, tzinfo=CHICAGO))

    issue_certificates(person=alice)
    assert not Certificate.objects.filter(kind=Certificate.Kind.FOUNDATIONAL).exists()

    make_attended_session(second, alice, start=datetime.datetime(2025, 4, 2, 15, tzinfo=CHICAGO))
    created = issue_certificates(person=alice)

    kinds = sorted(certificate.kind for certificate in created)
    assert kinds == [Certificate.Kind.COURSE, Certificate.Kind.FOUNDATIONAL]
    foundational = Certificate.objects.get(kind=Certificate.Kind.FOUNDATIONAL)
    assert foundational.person == alice
    assert foundational.course is None
    assert foundational.completed_on == datetime.date(2025, 4, 2)  # the day the last was done
    assert issue_certificates(person=alice) == []


def test_a_no_show_on_a_foundational_course_keeps_the_foundational_certificate_away(alice):
    done = make_course(foundational=True)
    missed = make_course(foundational=True)
    make_attended_session(done, alice)
    make_registration(event_row(host=missed, days=-3), alice, state=Registration.State.NO_SHOW)

    issue_certificates(person=alice)

    assert list(Certificate.objects.values_list("kind", flat=True)) == ["course"]


def test_no_foundational_certificate_when_no_course_is_foundational(alice):
    make_attended_session(make_course(), alice)

    [certificate] = issue_certificates(person=alice)

    assert certificate.kind == Certificate.Kind.COURSE


def test_a_code_that_is_taken_is_drawn_again(alice, bob, monkeypatch):
    make_attended_session(make_course(), bob)
    [taken] = issue_certificates(person=bob)
    codes = iter([taken.code, "BLG-ABCDEFGH"])
    monkeypatch.setattr(certificates, "new_code", lambda: next(codes))
    make_attended_session(make_course(), alice)

    [certificate] = issue_certificates(person=alice)

    assert certificate.code == "BLG-ABCDEFGH"


def test_a_certificate_issued_meanwhile_is_not_issued_twice(alice):
    """What a concurrent call sees: the certificate appeared between its check and its write.
    The unique constraint refuses the second one and the call takes it as already issued."""
    make_attended_session(make_course(), alice)
    missing = certificates._missing(alice)
    issue_certificates(person=alice)  # the other call wins

    assert certificates._issue(person=alice, missing=missing) == []
    assert Certificate.objects.filter(person=alice).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_calls_at_once_issue_one_certificate():
    person = make_person("racer@example.org", "Racer")
    make_attended_session(make_course(foundational=True), person)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def call():
        try:
            barrier.wait(timeout=10)
            results.append(len(issue_certificates(person=person)))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results) == [0, 2]  # one call issued both; the other found them there
    assert Certificate.objects.filter(person=person, kind="course").count() == 1
    assert Certificate.objects.filter(person=person, kind="foundational").count() == 1


def test_codes_are_read_back_however_they_are_typed():
    assert normalize_code("BLG-7KQ4M2XD") == "BLG-7KQ4M2XD"
    assert normalize_code(" blg-7kq4-m2xd ") == "BLG-7KQ4M2XD"
    assert normalize_code("7KQ4 M2XD") == "BLG-7KQ4M2XD"
    assert normalize_code("BLGBLGABCDE") == "BLG-BLGABCDE"
    for bad in [
        "",
        "BLG-",
        "BLG-7KQ4M2X",
        "BLG-7KQ4M2XDD",
        "BLG-0KQ4M2XD",
        "BLG-IKQ4M2XD",
        "x" * 500,
    ]:
        assert normalize_code(bad) is None, bad


def test_the_periodic_job_issues_what_is_due_and_then_nothing(alice, bob, dave):
    first, second = make_course(foundational=True), make_course(foundational=True)
    make_attended_session(first, alice)
    make_attended_session(second, alice)
    make_attended_session(first, bob)
    make_registration(event_row(host=second, days=-3), dave, state=Registration.State.NO_SHOW)

    assert JOBS["certificates"]() == "4 certificate(s) issued"
    assert JOBS["certificates"]() == "0 certificate(s) issued"
    assert Certificate.objects.filter(person=alice).count() == 3
    assert Certificate.objects.filter(person=bob).count() == 1
    assert not Certificate.objects.filter(person=dave).exists()


def test_the_periodic_job_issues_the_foundational_certificate_when_a_course_is_retired(alice):
    done, missing = make_course(foundational=True), make_course(foundational=True)
    make_attended_session(done, alice)
    JOBS["certificates"]()
    assert not Certificate.objects.filter(kind="foundational").exists()

    missing.is_active = False  # the path now asks only for what alice has done
    missing.save(update_fields=["is_active"])

    assert JOBS["certificates"]() == "1 certificate(s) issued"
    assert Certificate.objects.filter(person=alice, kind="foundational").count() == 1
