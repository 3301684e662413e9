"""My page leads each person to what they may do."""

import pytest

pytestmark = pytest.mark.django_db


def test_coordinators_and_facilitators_find_the_training_pages(client, carol):
    client.force_login(carol)
    assert 'href="/training/manage/"' in client.get("/me/").content.decode()


def test_members_do_not_see_a_link_they_could_not_follow(client, alice):
    client.force_login(alice)
    page = client.get("/me/").content.decode()
    assert 'href="/training/manage/"' not in page
    assert 'href="/training/requests/"' in page and 'href="/me/calendar/"' in page
