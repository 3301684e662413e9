"""belong.lib.dates: the admin takes days and moments in the years Belong takes (1900 to 2999),
as the API and the events' actions do. An operator's registration opening on 9999-12-31 at
23:59 in Chicago was stored by PostgreSQL as 10000-01-01 UTC, which Python cannot read: the
event's page, its course's page and the API answered 500 from then on; a policy reviewed on
9999-12-31 made the resources page and the policies API 500 (its next review overflows)."""

import datetime

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from belong.lib import dates
from belong.library.models import Policy
from belong.people.models import Person
from tests.builders import make_session

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password-for-tests"
TOO_LATE_DAY, TOO_EARLY_DAY = "9999-12-31", "1899-12-31"


@pytest.fixture
def oscar(db):
    return Person.objects.create_superuser(
        email="oscar@example.org", password=PASSWORD, full_name="Oscar Operator"
    )


def date_fields(form_class):
    return {
        name: field
        for name, field in form_class.base_fields.items()
        if isinstance(field, (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField))
    }


def admin_forms(request):
    """Every registered admin's form and every inline's form, as an operator sees them."""
    for model, model_admin in admin.site._registry.items():
        yield model.__name__, model_admin.get_form(request, None)
        for inline in model_admin.get_inline_instances(request, None):
            formset = inline.get_formset(request, None)
            yield f"{model.__name__}.{inline.model.__name__}", formset.form


def refused(field, value):
    try:
        field.clean(value)
    except ValidationError:
        return True
    return False


def test_every_admin_date_and_moment_is_bounded(oscar):
    request = RequestFactory().get("/admin/")
    request.user = oscar
    seen, unbounded = 0, []
    for where, form_class in admin_forms(request):
        for name, field in date_fields(form_class).items():
            seen += 1
            if isinstance(field, forms.SplitDateTimeField):
                values = [[TOO_LATE_DAY, "23:59:59"], [TOO_EARLY_DAY, "12:00"]]
            elif isinstance(field, forms.DateTimeField):
                values = [f"{TOO_LATE_DAY} 23:59:59", f"{TOO_EARLY_DAY} 12:00"]
            else:
                values = [TOO_LATE_DAY, TOO_EARLY_DAY]
            unbounded += [
                f"{where}.{name}={value}" for value in values if not refused(field, value)
            ]
    assert seen >= 10  # the events' and the policies' at least
    assert unbounded == []


def test_a_moment_is_checked_in_utc_too():
    chicago = datetime.timezone(datetime.timedelta(hours=-6))
    dates.validate_moment(datetime.datetime(2999, 12, 31, 12, tzinfo=chicago))
    with pytest.raises(ValidationError):
        dates.validate_moment(datetime.datetime(2999, 12, 31, 23, tzinfo=chicago))  # 3000 in UTC
    with pytest.raises(ValidationError):
        dates.validate_moment(datetime.datetime(9999, 12, 31, 23, 59, tzinfo=chicago))


def change_page_data(client, url):
    """The admin change form's own values, as a browser would send them back."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data, self.textarea, self.select = {}, None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            name = attrs.get("name")
            if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox"):
                self.data[name] = attrs.get("value") or ""
            elif tag == "input" and name and "checked" in attrs:
                self.data[name] = attrs.get("value") or "on"
            elif tag == "textarea" and name:
                self.textarea, self.data[name] = name, ""
            elif tag == "select" and name:
                self.select = name
            elif tag == "option" and self.select and "selected" in attrs:
                self.data[self.select] = attrs.get("value", "")

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None

        def handle_data(self, data):
            if self.textarea:
                self.data[self.textarea] += data

    parser = Fields()
    parser.feed(client.get(url).content.decode())
    return {k: v for k, v in parser.data.items() if "__prefix__" not in k}


def test_an_operator_cannot_open_registration_in_the_year_10000(client, oscar):
    event = make_session(days=10)
    client.force_login(oscar)
    url = f"/admin/events/event/{event.pk}/change/"
    data = change_page_data(client, url)
    assert client.post(url, data).status_code == 302  # the form as it is saves
    response = client.post(
        url,
        {**data, "registration_opens_at_0": TOO_LATE_DAY, "registration_opens_at_1": "23:59:59"},
    )
    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2999." in response.content.decode()
    event.refresh_from_db()
    assert event.registration_opens_at is None or event.registration_opens_at < timezone.now()
    assert client.get(f"/events/{event.pk}/").status_code == 200
    assert client.get(f"/api/v1/events/{event.pk}").status_code == 200


def test_an_operator_cannot_review_a_policy_in_the_year_9999(client, oscar):
    policy = Policy.objects.create(
        title="Diversity statement", slug="statement", review_interval_months=12
    )
    client.force_login(oscar)
    url = f"/admin/library/policy/{policy.pk}/change/"
    data = change_page_data(client, url)
    response = client.post(url, {**data, "last_reviewed_on": TOO_LATE_DAY})
    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2999." in response.content.decode()
    policy.refresh_from_db()
    assert policy.last_reviewed_on is None
    assert client.get("/resources/").status_code == 200
    assert client.get("/api/v1/policies").status_code == 200
