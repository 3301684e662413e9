"""/insights/initiatives/: a DEI administrator creates an initiative and names its lead; the lead
adds metrics, records values and imports them from CSV (all or nothing, each bad row named);
analysts see every initiative, a lead their own; charts against baseline and target."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from belong.insights import initiatives
from belong.insights.models import Initiative, Metric, Observation

pytestmark = pytest.mark.django_db

LIST = "/insights/initiatives/"


@pytest.fixture
def initiative(frank, bob):
    created = initiatives.create_initiative(
        actor=frank,
        title="Hypertension control in Somali patients",
        lead=bob,
        unit=None,
        disparity="Blood pressure control is lower among Somali-speaking patients.",
        population="Adults with hypertension seen in primary care",
        status="active",
    )
    initiatives.add_metric(
        created,
        actor=frank,
        name="BP controlled",
        unit="%",
        direction="higher",
        baseline=48,
        target=65,
        target_on=None,
    )
    return created


def url(initiative, rest=""):
    return f"/insights/initiatives/{initiative.slug}/{rest}"


def test_a_dei_administrator_creates_one(client, frank, bob):
    client.force_login(frank)
    data = {
        "title": "Maternal health equity",
        "lead_email": "bob@example.org",
        "disparity": "Severe maternal morbidity is higher for Black patients.",
        "population": "Birthing people",
        "status": "planned",
    }
    assert (
        client.post("/insights/initiatives/new/", {**data, "lead_email": "x@y.org"}).status_code
        == 400
    )
    assert not Initiative.objects.exists()
    response = client.post("/insights/initiatives/new/", data)
    initiative = Initiative.objects.get()
    assert response["Location"] == f"/insights/initiatives/{initiative.slug}/"
    assert initiative.lead == bob and initiative.slug == "maternal-health-equity"


def test_who_sees_and_who_changes(client, initiative, alice, bob, grace, erin):
    for person, status in ((alice, 403), (erin, 403), (bob, 200), (grace, 200)):
        client.force_login(person)
        assert client.get(url(initiative)).status_code == status
    client.force_login(grace)  # analysts see, but do not change
    assert client.get(LIST).status_code == 200
    assert "Add a metric" not in client.get(url(initiative)).content.decode()
    response = client.post(url(initiative, "values/"), {"value-metric": 1})
    assert response.status_code == 403
    client.force_login(alice)
    assert client.get(LIST).status_code == 403
    assert client.get("/insights/initiatives/new/").status_code == 403


def test_the_lead_records_and_the_chart_shows_baseline_and_target(client, initiative, bob):
    metric = initiative.metrics.get()
    client.force_login(bob)
    response = client.post(
        url(initiative, "values/"),
        {"value-metric": metric.pk, "value-observed_on": "2026-06-30", "value-value": "52.5"},
    )
    assert response.status_code == 302
    # The same day again replaces the value.
    client.post(
        url(initiative, "values/"),
        {"value-metric": metric.pk, "value-observed_on": "2026-06-30", "value-value": "53"},
    )
    assert [o.value for o in Observation.objects.all()] == [53]
    html = client.get(url(initiative)).content.decode()
    assert (
        "Latest: 53 % on" in html
        and "Baseline 48 %." in html
        and "data:image/svg+xml;base64," in html
    )
    bad = client.post(url(initiative, "values/"), {"value-metric": metric.pk, "value-value": "x"})
    assert bad.status_code == 400 and "value-observed_on" in bad.content.decode()


def test_a_metric_name_is_unique_in_its_initiative(client, initiative, bob):
    client.force_login(bob)
    response = client.post(
        url(initiative, "metrics/"),
        {"metric-name": "BP controlled", "metric-unit": "%", "metric-direction": "higher"},
    )
    assert response.status_code == 400
    assert "already has a metric with that name" in response.content.decode()
    assert Metric.objects.count() == 1


def upload(text):
    return SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")


def test_import_is_all_or_nothing_and_names_each_bad_row(client, initiative, bob):
    client.force_login(bob)
    bad = "metric,date,value\nBP controlled,2026-01-31,50\nBP kontrol,2026-02-28,51\nBP controlled,31/03/2026,abc\n"
    response = client.post(url(initiative, "import/"), {"import-file": upload(bad)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Row 3, metric" in html and "Row 4, date" in html and "Row 4, value" in html
    assert not Observation.objects.exists()
    good = "metric,date,value,note\nBP controlled,2026-01-31,50,\nBP controlled,2026-02-28,51.25,after outreach\n"
    response = client.post(url(initiative, "import/"), {"import-file": upload(good)})
    assert response.status_code == 302
    assert [(o.observed_on.isoformat(), str(o.value)) for o in Observation.objects.all()] == [
        ("2026-01-31", "50.000"),
        ("2026-02-28", "51.250"),
    ]
    far = "metric,date,value\nBP controlled,9999-12-31,50\nBP controlled,0001-01-01,50\n"
    response = client.post(url(initiative, "import/"), {"import-file": upload(far)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Row 2, date" in html and "Row 3, date" in html and "between the years 1900" in html
    assert Observation.objects.count() == 2
    header = client.post(url(initiative, "import/"), {"import-file": upload("a,b\n1,2\n")})
    assert header.status_code == 400 and "must name the columns" in header.content.decode()


def test_an_import_with_a_nul_or_an_overlong_cell_is_refused_naming_the_file(
    client, initiative, bob
):
    """A NUL (which PostgreSQL cannot store) in any cell, or a cell longer than the CSV reader
    takes, is a 400 naming the file, and nothing is imported (both were 500s)."""
    client.force_login(bob)
    nul = "metric,date,value,note\nBP controlled,2026-01-31,50,a\x00b\n"
    response = client.post(url(initiative, "import/"), {"import-file": upload(nul)})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    overlong = 'metric,date,value,note\nBP controlled,2026-01-31,50,"' + "x" * 200_000 + '"\n'
    response = client.post(url(initiative, "import/"), {"import-file": upload(overlong)})
    assert response.status_code == 400
    assert "could not be read as CSV" in response.content.decode()
    overlong_header = '"' + "m" * 200_000 + '",date,value\n'
    response = client.post(url(initiative, "import/"), {"import-file": upload(overlong_header)})
    assert response.status_code == 400
    assert not Observation.objects.exists()


def test_a_metrics_values_download_as_shown(client, initiative, bob, alice):
    import csv
    import io

    from openpyxl import load_workbook

    metric = initiative.metrics.get()
    initiatives.record(
        metric,
        actor=bob,
        observed_on=datetime.date(2026, 5, 31),
        value=51.5,
        note='=HYPERLINK("http://evil")',
    )
    client.force_login(alice)
    assert client.get(url(initiative, f"metrics/{metric.pk}.csv")).status_code == 403
    client.force_login(bob)
    response = client.get(url(initiative, f"metrics/{metric.pk}.csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["Date", "Value", "Unit", "Note"]
    assert rows[2] == ["2026-05-31", "51.5", "%", '\'=HYPERLINK("http://evil")']
    sheet = load_workbook(
        io.BytesIO(client.get(url(initiative, f"metrics/{metric.pk}.xlsx")).content)
    ).active
    assert sheet.cell(row=3, column=4).value == '=HYPERLINK("http://evil")'
    assert sheet.cell(row=3, column=4).data_type == "s"  # text, never a formula
    assert client.get(url(initiative, "metrics/999.csv")).status_code == 404
