"""/healthz: 200 with the database reachable; its 503 when the database is away is proven with a
real outage in tests/lib/test_outage.py."""

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_is_200_with_the_database_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_over_plain_http_in_production_mode(tmp_path):
    """With BELONG_SECURE=1 every plain-HTTP request is redirected to HTTPS, except /healthz:
    a load balancer probing it over HTTP must see 200 (or 503), never a 301."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    probe = (
        "from django.test import Client; c = Client(); "
        "print(c.get('/healthz').status_code, c.get('/').status_code, c.get('/').url)"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BELONG_")}
    environment.update(
        BELONG_SECURE="1",
        BELONG_SECRET_KEY="k" * 20 + "-a-long-random-production-secret-value",
        BELONG_IDENTITY_KEYS="bm90LWEtcmVhbC1rZXktYnV0LTMyLWJ5dGVzLWxvbmc=",
        BELONG_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", probe],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    healthz, home, location = result.stdout.strip().splitlines()[-1].split()
    assert healthz == "200"
    assert (home, location) == ("301", "https://testserver/")
