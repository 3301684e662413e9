"""belong.lib.admin_changelist: a date-hierarchy year the admin cannot build a date from is a
bad filter (the list, unfiltered, with the error flag), not a 500, on every registered admin
that has a date hierarchy (the events', and django-axes' sign-in logs)."""

import pytest
from django.contrib import admin

from belong.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def oscar(db):
    return Person.objects.create_superuser(
        email="oscar@example.org", password="a-long-enough-password", full_name="Oscar Operator"
    )


def hierarchies():
    return sorted(
        (model._meta.app_label, model._meta.model_name, model_admin.date_hierarchy)
        for model, model_admin in admin.site._registry.items()
        if model_admin.date_hierarchy
    )


def test_the_admins_with_a_date_hierarchy_are_walked():
    assert ("events", "event", "start") in hierarchies()
    assert len(hierarchies()) >= 2  # and django-axes' logs


@pytest.mark.parametrize("query", ["__year=99999999999999999999", "__year=9999", "__year=0"])
def test_a_year_beyond_any_date_is_a_bad_filter_not_a_500(client, oscar, query):
    client.force_login(oscar)
    for app, model, field in hierarchies():
        response = client.get(f"/admin/{app}/{model}/?{field}{query}")
        assert response.status_code in (200, 302), (app, model, response.status_code)
