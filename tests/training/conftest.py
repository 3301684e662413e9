"""Training's fixtures: uploads go to a fresh directory (`media`). The course and session the
evaluation tests start from are in tests/conftest.py (the API's evaluation tests use them too)."""

import pytest


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a fresh directory per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
