"""The policy admin: a version number already held is a field error, not a 500."""

import pytest

from belong.library.models import Policy, PolicyVersion
from tests.builders import make_person

pytestmark = pytest.mark.django_db


def test_a_version_number_already_held_is_a_field_error(client):
    operator = make_person("op@example.org", "Op", is_staff=True, is_superuser=True)
    policy = Policy.objects.create(title="Conduct", slug="conduct", review_interval_months=24)
    PolicyVersion.objects.create(policy=policy, number=1, body="First.")
    client.force_login(operator)
    url = f"/admin/library/policy/{policy.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "versions-TOTAL_FORMS": "1",
            "versions-INITIAL_FORMS": "0",
            "versions-MIN_NUM_FORMS": "0",
            "versions-MAX_NUM_FORMS": "1000",
            "versions-0-number": "1",
            "versions-0-body": "Second, numbered as the first.",
            "versions-0-created_at_0": "2026-12-07",
            "versions-0-created_at_1": "09:00:00",
        }
    )
    response = client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 200
    [formset] = response.context["inline_admin_formsets"]
    assert formset.formset.forms[0].errors["number"]
    assert PolicyVersion.objects.filter(policy=policy).count() == 1
