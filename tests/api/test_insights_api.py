"""/api/v1/insights/...: the dashboards' published tables (analysts and DEI administrators
only; hidden counts are null, never a person's answer), initiatives as the pages show them;
/api/v1/policies and /api/v1/resources for everyone."""

import pytest

from belong.insights import initiatives
from belong.library import resources
from belong.people import privacy
from belong.people.models import AuditEvent
from tests.builders import (
    bearer,
    cut_release,
    exact_releases,
    initiative_with_metric,
    make_person,
    token_for,
)

pytestmark = pytest.mark.django_db
API = "/api/v1"


def get(client, path, person=None, **params):
    auth = bearer(token_for(person)) if person else {}
    return client.get(f"{API}{path}", params, **auth)


def test_dashboards_are_for_analysts_and_dei_administrators(client, alice, grace, frank):
    assert get(client, "/insights/dashboards").status_code == 401
    assert get(client, "/insights/dashboards", alice).status_code == 403
    assert get(client, "/insights/dashboards/representation", alice).status_code == 403
    for viewer in (grace, frank):
        slugs = [d["slug"] for d in get(client, "/insights/dashboards", viewer).json()]
        assert slugs == ["representation", "training", "collectives", "mentorship"]
    assert get(client, "/insights/dashboards/nothing", grace).status_code == 404


def test_a_dashboards_tables_are_the_published_ones(client, grace, settings):
    exact_releases(settings)
    response = get(client, "/insights/dashboards/representation", grace)
    assert response.json()["release"] is None and response.json()["figures"] == []
    # Grace (the analyst) is not in the workforce counted here: a lone staff member who did not
    # answer would be a hidden 1 that the check protects by hiding more of the row (the race
    # total and the "answered" total tell it otherwise).
    type(grace).objects.filter(pk=grace.pk).update(kind="community")
    for n in range(24):
        person = make_person(f"s{n}@example.org", f"S {n}", kind="staff")
        answer = (
            {"values": ["asian"], "self_description": "Hmong"} if n < 12 else {"values": ["white"]}
        )
        privacy.save_answers(person=person, answers={"race_ethnicity": answer})
        privacy.give(person=person, purpose="reporting")
    release = cut_release()
    response = get(client, "/insights/dashboards/representation", grace)
    assert response.status_code == 200
    assert response.json()["release"] == release.number
    assert response.json()["as_of"] == release.as_of.isoformat()
    figures = {f["slug"]: f for f in response.json()["figures"]}
    race = figures["race"]
    staff = race["rows"].index("Staff")
    asian, white = race["columns"].index("Asian"), race["columns"].index("White")
    assert race["cells"][staff][asian] == {"value": 12, "shown": "12"}
    assert race["cells"][staff][white] == {"value": 12, "shown": "12"}
    assert race["shares"][staff][asian] == "50%"
    answered = figures["answered"]
    assert answered["cells"][answered["rows"].index("Staff")][0] == {"value": 24, "shown": "24"}
    body = response.content.decode()
    assert "Hmong" not in body and "@example.org" not in body
    assert AuditEvent.objects.filter(verb="insights.viewed", detail__via="api").exists()


def test_the_api_and_the_downloads_hold_what_the_page_shows(client, grace):
    """With perturbation on: the page, the API and the CSV show the same figures."""
    import csv
    import io

    for n in range(30):
        person = make_person(f"s{n}@example.org", f"S {n}", kind="faculty")
        answer = {"values": ["asian"]} if n < 14 else {"values": ["white"]}
        privacy.save_answers(person=person, answers={"race_ethnicity": answer})
        privacy.give(person=person, purpose="reporting")
    cut_release()
    client.force_login(grace)
    for slug in ("representation", "training", "collectives", "mentorship"):
        page = client.get(f"/insights/{slug}/")
        figures = [item["figure"] for item in page.context["figures"]]
        api = {
            f["slug"]: f for f in client.get(f"{API}/insights/dashboards/{slug}").json()["figures"]
        }
        assert set(api) == {f.slug for f in figures}
        for figure in figures:
            assert api[figure.slug]["cells"] == [
                [{"value": c.value, "shown": c.shown} for c in row] for row in figure.table.cells
            ]
            assert api[figure.slug]["notes"] == figure.all_notes
            rows = list(
                csv.reader(
                    io.StringIO(client.get(f"/insights/{slug}/{figure.slug}.csv").content.decode())
                )
            )
            assert rows[2 : 2 + len(figure.grid())] == figure.grid()


def test_initiatives_as_the_pages_show_them(client, frank, bob, alice):
    initiative, metric = initiative_with_metric(frank, lead=bob)
    import datetime

    initiatives.record(metric, actor=bob, observed_on=datetime.date(2026, 3, 1), value=80)
    assert [i["slug"] for i in get(client, "/insights/initiatives", bob).json()] == [
        initiative.slug
    ]
    assert get(client, "/insights/initiatives", alice).json() == []
    assert get(client, f"/insights/initiatives/{initiative.slug}", alice).status_code == 404
    detail = get(client, f"/insights/initiatives/{initiative.slug}", frank).json()
    assert detail["metrics"][0]["observations"] == [
        {"date": "2026-03-01", "value": 80.0, "note": ""}
    ]


def test_policies_and_resources_for_everyone(client, content, erin):
    policies = get(client, "/policies").json()
    assert policies and policies[0]["text"]
    slug = policies[0]["slug"]
    assert get(client, f"/policies/{slug}").json()["review_interval_months"] == 6
    suggested = resources.suggest(
        person=erin,
        title="Structured interviews",
        summary="Less bias.",
        tags=["interviewing"],
        link="https://example.org",
    )
    assert get(client, "/resources").json()["count"] == 0
    resources.curate(suggested.pk, actor=erin, state="published")
    found = get(client, "/resources", q="interviews", tag="interviewing").json()
    assert [r["title"] for r in found["items"]] == ["Structured interviews"]
    assert get(client, "/resources", tag="gardening").status_code == 422
    too_long = get(client, "/resources", q="a" * 201)
    assert too_long.status_code == 422 and "q" in str(too_long.json()["errors"])
