"""`manage.py check --deploy` is clean with production settings, and production settings refuse
to start without a secret key or the keys that seal self-identification."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BELONG_")}
    environment.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        BELONG_SECURE="1",
        BELONG_SECRET_KEY="k" * 20 + "-a-long-random-production-secret-value",
        BELONG_ALLOWED_HOSTS="belong.example.org",
        BELONG_IDENTITY_KEYS="bm90LWEtcmVhbC1rZXktYnV0LTMyLWJ5dGVzLWxvbmc=",
        BELONG_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_needs_a_secret_key(tmp_path):
    result = run_manage(
        "check",
        BELONG_SECURE="1",
        BELONG_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode != 0
    assert "BELONG_SECRET_KEY is required" in result.stderr


def test_production_mode_needs_identity_keys(tmp_path):
    result = run_manage(
        "check",
        BELONG_SECURE="1",
        BELONG_SECRET_KEY="k" * 20 + "-a-long-random-production-secret-value",
        BELONG_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode != 0
    assert "BELONG_IDENTITY_KEYS is required" in result.stderr


def test_templates_are_compiled_once_per_process_with_debug_off(tmp_path):
    """The cached template loader (Django's default when no loaders are named): every page and
    email would otherwise read and compile its templates again on each use."""
    result = run_manage(
        "shell",
        "-c",
        "from django.template import engines; print(engines['django'].engine.loaders)",
        BELONG_DEBUG="0",
        BELONG_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert "django.template.loaders.cached.Loader" in result.stdout
