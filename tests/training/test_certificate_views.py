"""The certificate PDF download (owner only) and the public verification page."""

import datetime
import io
import zoneinfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from belong.training.actions.certificates import issue_certificates
from belong.training.models import Certificate
from belong.training.views import certificates as certificate_views
from tests.builders import make_attended_session, make_course, make_person

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
VERIFY = reverse("training:certificate_verify")


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tomas(db):
    return make_person("tomas@example.org", "Tomás Nguyễn", credentials="MD")


@pytest.fixture
def certificate(tomas):
    make_attended_session(
        make_course(title="Implicit Bias in Healthcare"),
        tomas,
        start=datetime.datetime(2025, 3, 3, 12, tzinfo=CHICAGO),
    )
    [certificate] = issue_certificates(person=tomas)
    return certificate


def pdf_text(response):
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    return page.extract_text()


def signed_in(client, person):
    client.force_login(person)
    return client


# The download ----------------------------------------------------------------------------


def test_the_owner_downloads_their_certificate(client, tomas, certificate, settings):
    settings.SITE_URL = "https://belong.example.edu"
    response = signed_in(client, tomas).get(reverse("certificates:pdf", args=[certificate.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="certificate-{certificate.code}.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    text = pdf_text(response)
    assert "Certificate of completion" in text
    assert "Tomás Nguyễn, MD" in text
    assert "Implicit Bias in Healthcare" in text
    assert "March 3, 2025" in text
    assert certificate.code in text
    assert f"https://belong.example.edu{VERIFY}?code={certificate.code}" in text


def test_the_foundational_certificate_lists_the_foundational_trainings(client, tomas):
    first = make_course(title="Foundations of Equity", foundational=True, order=1)
    second = make_course(title="Cultural Humility", foundational=True, order=2)
    make_attended_session(first, tomas, start=datetime.datetime(2025, 1, 9, 12, tzinfo=CHICAGO))
    make_attended_session(second, tomas, start=datetime.datetime(2025, 2, 6, 12, tzinfo=CHICAGO))
    issue_certificates(person=tomas)
    foundational = Certificate.objects.get(kind=Certificate.Kind.FOUNDATIONAL)

    response = signed_in(client, tomas).get(reverse("certificates:pdf", args=[foundational.code]))

    text = " ".join(pdf_text(response).split())
    assert "All foundational trainings" in text
    assert "Foundations of Equity · Cultural Humility" in text
    assert "February 6, 2025" in text
    assert foundational.code in text


def test_someone_elses_certificate_is_not_found(client, dave, certificate):
    response = signed_in(client, dave).get(reverse("certificates:pdf", args=[certificate.code]))

    assert response.status_code == 404


def test_an_unknown_code_is_not_found(client, tomas, certificate):
    response = signed_in(client, tomas).get(reverse("certificates:pdf", args=["BLG-ZZZZZZZZ"]))

    assert response.status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, certificate):
    url = reverse("certificates:pdf", args=[certificate.code])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login"))


def test_the_download_only_answers_reads(client, tomas, certificate):
    url = reverse("certificates:pdf", args=[certificate.code])

    response = signed_in(client, tomas).post(url)

    assert response.status_code == 405


# The verification page -------------------------------------------------------------------


def test_the_page_offers_a_form(client):
    response = client.get(VERIFY)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="code"' in html
    assert '<label class="field__label" for="id_code">' in html


def test_a_valid_code_shows_whose_certificate_it_is(client, tomas, certificate):
    response = client.get(VERIFY, {"code": certificate.code})

    assert response.status_code == 200
    html = response.content.decode()
    assert "This certificate is valid" in html
    assert "Tomás Nguyễn, MD" in html
    assert "Implicit Bias in Healthcare" in html
    assert 'datetime="2025-03-03"' in html
    # Nothing else about the person.
    assert tomas.email not in html


def test_a_code_is_accepted_however_it_is_typed(client, certificate):
    body = certificate.code.removeprefix("BLG-").lower()
    typed = f"  blg {body[:4]}-{body[4:]} "  # "  blg abcd-efgh "

    response = client.get(VERIFY, {"code": typed})

    assert response.status_code == 200
    assert "This certificate is valid" in response.content.decode()


def test_an_unknown_code_says_so(client, certificate):
    response = client.get(VERIFY, {"code": "BLG-ZZZZZZZZ"})

    assert response.status_code == 404
    html = response.content.decode()
    assert "No certificate has this code" in html
    assert "BLG-ZZZZZZZZ" in html
    assert "Tomás" not in html


@pytest.mark.parametrize("code", ["hello", "BLG-0OOOIIII", "BLG-ABC", "x" * 41, ""])
def test_a_malformed_code_is_refused_with_a_clear_message(client, code):
    response = client.get(VERIFY, {"code": code})

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Verification code" in html
    assert "<title>Error:" in html


def test_lookups_are_rate_limited_per_client_address(client, certificate, monkeypatch):
    monkeypatch.setattr(certificate_views, "VERIFY_LIMIT", 3)

    statuses = [client.get(VERIFY, {"code": "BLG-ZZZZZZZZ"}).status_code for _ in range(3)]
    limited = client.get(VERIFY, {"code": certificate.code})

    assert statuses == [404, 404, 404]
    assert limited.status_code == 429
    assert "Too many checks" in limited.content.decode()
    assert int(limited["Retry-After"]) > 0
    # Another address is not held back; the form alone is never counted.
    assert client.get(VERIFY, {"code": certificate.code}, REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get(VERIFY).status_code == 200


def test_the_default_limit_is_thirty_a_minute(client):
    statuses = [client.get(VERIFY, {"code": "BLG-ZZZZZZZZ"}).status_code for _ in range(31)]

    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429


def test_the_verification_page_only_answers_reads(client):
    assert client.post(VERIFY, {"code": "BLG-ZZZZZZZZ"}).status_code == 405


def test_certificates_carry_the_full_name_never_the_email(db):
    from tests.builders import make_person

    person = make_person("t.nguyen@example.org", "Tomás Nguyễn", preferred_name="Tom")
    assert person.formal_name == "Tomás Nguyễn"
    person.full_name = ""
    person.preferred_name = ""
    assert "@" not in person.formal_name
