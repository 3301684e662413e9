"""belong.lib.admin_autocomplete: a value that names no row (``abc``, a number beyond any id)
in an admin autocomplete field is refused as a field error, the form shown again; Django's own
widget raised ValueError while showing it again (a 500 on the org unit's and the person's add
and change pages)."""

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.test import RequestFactory

from belong.people.models import OrgUnit, Person

pytestmark = pytest.mark.django_db

BAD_VALUES = ["abc", "9999-12-31", "99999999999999999999999", "-1", "1.5"]


@pytest.fixture
def oscar(db):
    return Person.objects.create_superuser(
        email="oscar@example.org", password="a-long-enough-password", full_name="Oscar Operator"
    )


def admin_forms(request):
    for model, model_admin in admin.site._registry.items():
        yield model.__name__, model_admin.get_form(request, None)
        for inline in model_admin.get_inline_instances(request, None):
            formset = inline.get_formset(request, None)
            yield f"{model.__name__}.{inline.model.__name__}", formset.form


def test_every_admin_autocomplete_shows_a_bad_value_again_without_failing(oscar):
    request = RequestFactory().get("/admin/")
    request.user = oscar
    seen, failures = 0, []
    for where, form_class in admin_forms(request):
        for name, field in form_class.base_fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # RelatedFieldWidgetWrapper
            if not isinstance(widget, AutocompleteSelect):
                continue
            seen += 1
            for value in BAD_VALUES:
                form = form_class(data={name: value})
                try:
                    str(form[name])
                except (ValueError, TypeError, OverflowError) as error:
                    failures.append(f"{where}.{name}={value}: {error!r}"[:120])
    assert seen >= 3  # an org unit's parent, a person's unit, a registration's person
    assert failures == []


@pytest.mark.parametrize("value", BAD_VALUES)
def test_an_operator_gets_the_form_back_for_a_parent_that_is_no_unit(client, oscar, value):
    client.force_login(oscar)
    response = client.post(
        "/admin/people/orgunit/add/",
        {"name": "Cardiology", "slug": "cardiology", "kind": "department", "parent": value},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not OrgUnit.objects.filter(slug="cardiology").exists()
