import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_axes():
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def attempt(client, password):
    return client.post(
        reverse("people:login"),
        {"username": "alice@example.org", "password": password},
        REMOTE_ADDR="10.1.2.3",
    )


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong-password")
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "locked" in response.content.decode().lower()


def test_fewer_failures_than_the_limit_still_allow_sign_in(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong-password")
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_lockout_of_one_account_leaves_another_alone(client, alice, dave, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong-password")
    response = client.post(
        reverse("people:login"),
        {"username": "dave@example.org", "password": PASSWORD},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
