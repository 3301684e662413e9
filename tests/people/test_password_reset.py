import re

import pytest
from django.core import mail
from django.urls import reverse

from belong.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def request_reset(client, email, capture):
    with capture(execute=True):
        return client.post(reverse("people:password_reset"), {"email": email})


def test_reset_goes_through_the_outbox_and_the_link_sets_a_new_password(
    client, alice, django_capture_on_commit_callbacks
):
    response = request_reset(client, "alice@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    message = OutboundMessage.objects.get(person=alice)
    assert message.status == OutboundMessage.Status.SENT
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["alice@example.org"]
    assert sent.alternatives and sent.alternatives[0][1] == "text/html"
    link = re.search(r"https?://[^\s]+/password-reset/[^\s]+/[^\s]+/", sent.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-brand-new-passphrase")


def test_unknown_address_queues_nothing_and_reveals_nothing(
    client, alice, django_capture_on_commit_callbacks
):
    response = request_reset(client, "nobody@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:password_reset_done")
    assert OutboundMessage.objects.count() == 0
    assert mail.outbox == []


def test_bad_email_input_is_a_field_error(client, db):
    response = client.post(reverse("people:password_reset"), {"email": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert OutboundMessage.objects.count() == 0


def test_resets_are_limited_per_hour_without_saying_so(
    client, alice, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from belong.people.actions import RESETS_PER_HOUR

    # Earlier requests this hour (each minute's link differs, so each was a message of its own).
    for n in range(RESETS_PER_HOUR):
        OutboundMessage.objects.create(
            key=f"password-reset:{alice.pk}:earlier-{n}",
            person=alice,
            to_email=alice.email,
            subject="Reset",
            body_text="...",
            status=OutboundMessage.Status.SENT,
            created_at=timezone.now() - datetime.timedelta(minutes=50 - n),
        )
    response = request_reset(client, "alice@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:password_reset_done")
    assert OutboundMessage.objects.filter(person=alice).count() == RESETS_PER_HOUR
    assert mail.outbox == []
    # An hour later the person may ask again.
    OutboundMessage.objects.filter(person=alice).update(
        created_at=timezone.now() - datetime.timedelta(minutes=61)
    )
    request_reset(client, "alice@example.org", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


class Statements:
    """Every SQL statement a block runs, as sent (placeholders, not values; savepoints unnamed)."""

    def __init__(self):
        self.sql = []

    def __call__(self, execute, sql, params, many, context):
        self.sql.append(re.sub(r'"s\d+_x\d+"', '"savepoint"', sql))
        return execute(sql, params, many, context)


def ask_with_a_worker_behind(client, email):
    """The page as it runs in production: the task goes to the database queue, for a worker."""
    from django.db import connection

    statements = Statements()
    with connection.execute_wrapper(statements):
        response = client.post(reverse("people:password_reset"), {"email": email})
    return response, statements.sql


@pytest.mark.django_db(transaction=True)  # committed, as the worker (a process of its own) sees it
def test_the_page_does_the_same_work_whether_or_not_the_address_has_an_account(
    client, alice, settings
):
    """Account enumeration: the page took twice as long for an address with an account, since it
    looked the person up and wrote their email. Now it only queues a task with the address:
    the same statements and the same answer for every address, with or without an account; the
    worker then writes the mail for the real account only."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from tests.builders import make_person

    make_person("gone@example.org", "Gone Away", is_active=False)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    answers = {}
    for email in ("alice@example.org", "nobody@example.org", "gone@example.org"):
        response, statements = ask_with_a_worker_behind(client, email)
        answers[email] = (response.status_code, response["Location"], response.content, statements)
    assert answers["alice@example.org"] == answers["nobody@example.org"]
    assert answers["alice@example.org"] == answers["gone@example.org"]
    assert answers["alice@example.org"][1] == reverse("people:password_reset_done")
    assert OutboundMessage.objects.count() == 0  # nothing looked up or written yet
    assert DBTaskResult.objects.count() == 3

    call_command("db_worker", batch=True, verbosity=0)  # the reset tasks, then the delivery
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
    assert OutboundMessage.objects.get().person == alice


def test_an_inactive_or_erased_account_gets_nothing(
    client, alice, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from belong.people import personal
    from tests.builders import make_person

    make_person("gone@example.org", "Gone Away", is_active=False)
    erased_address = alice.email
    personal.erase(alice, now=timezone.now())
    for email in ("gone@example.org", erased_address, alice.email):
        response = request_reset(client, email, django_capture_on_commit_callbacks)
        assert response["Location"] == reverse("people:password_reset_done")
    assert OutboundMessage.objects.count() == 0
    assert mail.outbox == []
