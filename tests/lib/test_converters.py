"""belong.lib.converters: ``<id:...>`` takes a row's id, and an id beyond what any database stores
is simply no such page (404), never an integer the database cannot compare (a 500)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from belong.lib.converters import MAX_ID

pytestmark = pytest.mark.django_db


def patterns(resolver=None):
    for entry in (resolver or get_resolver()).url_patterns:
        yield entry
        if isinstance(entry, URLResolver):
            yield from patterns(entry)


@pytest.mark.parametrize("pk", [str(MAX_ID), str(MAX_ID + 1), str(10**30), "9" * 5000])
def test_an_id_beyond_any_row_is_a_404(client, alice, pk):
    client.force_login(alice)
    for path in (f"/events/{pk}/", f"/events/{pk}.ics", f"/mentorship/matches/{pk}/"):
        assert client.get(path).status_code == 404


def test_ids_reverse_as_before():
    assert reverse("events:detail", args=[42]) == "/events/42/"


def test_no_url_takes_an_unbounded_integer():
    """Every id in a path goes through ``<id:...>``."""
    unbounded = [
        str(entry.pattern)
        for entry in patterns()
        if isinstance(entry, URLPattern | URLResolver)
        and any(
            isinstance(converter, IntConverter)
            for converter in getattr(entry.pattern, "converters", {}).values()
        )
    ]
    assert unbounded == []
