"""The SCIM tokens' admin: operators see them (never the digest) and change nothing; no
other staff role sees them."""

import pytest

from belong.people.scim.tokens import create_scim_token
from tests.builders import make_person

pytestmark = pytest.mark.django_db

LIST = "/admin/people/scimtoken/"


def test_operators_see_tokens_and_change_nothing(client):
    token, secret = create_scim_token(name="Entra")
    olive = make_person("olive@example.org", "Olive", is_superuser=True, is_staff=True)
    client.force_login(olive)
    listing = client.get(LIST)
    assert listing.status_code == 200 and b"Entra" in listing.content
    page = client.get(f"{LIST}{token.pk}/change/")
    assert page.status_code == 200
    assert token.digest.encode() not in page.content and secret.encode() not in page.content
    assert client.get(f"{LIST}add/").status_code == 403
    assert client.post(f"{LIST}{token.pk}/delete/", {"post": "yes"}).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_other_staff_do_not_see_tokens(client, frank):
    create_scim_token(name="Entra")
    frank.is_staff = True
    frank.save(update_fields=["is_staff"])
    client.force_login(frank)
    assert client.get(LIST).status_code == 403
    assert b"SCIM" not in client.get("/admin/").content
