"""/media/ serves the public pictures alone (belong.lib.media): collectives' images, as the
type they were stored as, never sniffed; pre-work and resources (the default storage) never."""

import importlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from belong.collectives.models import Collective
from belong.lib.media import public_storage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _storages_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_MEDIA_ROOT = tmp_path / "public"


def png(colour="purple") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_collectives_image_is_served_at_its_url(client, tmp_path):
    collective = Collective.objects.create(name="Rainbow", slug="rainbow")
    collective.image.save("banner.png", ContentFile(png()))
    url = collective.image.url
    assert url.startswith("/media/collectives/banner")
    assert (tmp_path / "public" / collective.image.name).is_file()
    assert not (tmp_path / "media" / collective.image.name).exists()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == png()
    assert client.head(url).status_code == 200


def test_private_uploads_are_never_served_at_media(client, tmp_path):
    default_storage.save("prework/abc/handout.png", ContentFile(png()))
    default_storage.save("resources/abc/guide.png", ContentFile(png()))
    for path in (
        "/media/prework/abc/handout.png",
        "/media/resources/abc/guide.png",
        "/media/../media/prework/abc/handout.png",
        "/media/%2e%2e/media/prework/abc/handout.png",
    ):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize(
    "name",
    ["page.html", "page.svg", "banner", "collectives", "banner.png\x00.html", "missing.png"],
)
def test_only_pictures_of_the_stored_kinds_are_served(client, name):
    public_storage().save("collectives/page.html", ContentFile(b"<script>alert(1)</script>"))
    public_storage().save("collectives/page.svg", ContentFile(b"<svg onload=alert(1)>"))
    public_storage().save("collectives/banner", ContentFile(png()))
    assert client.get(f"/media/collectives/{name}").status_code in (400, 404)


def test_media_takes_no_writes(client):
    public_storage().save("collectives/banner.png", ContentFile(png()))
    assert client.post("/media/collectives/banner.png").status_code == 405


def test_the_migration_moves_images_to_the_public_storage_drawn_anew(tmp_path):
    from django.apps import apps

    migration = importlib.import_module(
        "belong.collectives.migrations.0004_collective_image_public_storage"
    )
    kept = Collective.objects.create(name="Kept", slug="kept", image_alt="A banner")
    broken = Collective.objects.create(name="Broken", slug="broken", image_alt="Nothing")
    default_storage.save("collectives/kept.png", ContentFile(png() + b"<html>trailing</html>"))
    default_storage.save("collectives/broken.png", ContentFile(b"<html>not a picture</html>"))
    Collective.objects.filter(pk=kept.pk).update(image="collectives/kept.png")
    Collective.objects.filter(pk=broken.pk).update(image="collectives/broken.png")

    migration.move_images(apps, None)
    migration.move_images(apps, None)  # a second run changes nothing

    kept.refresh_from_db()
    broken.refresh_from_db()
    assert kept.image.name == "collectives/kept.png" and kept.image_alt == "A banner"
    data = (tmp_path / "public" / "collectives" / "kept.png").read_bytes()
    assert data.startswith(b"\x89PNG") and b"<html>" not in data
    assert not broken.image and broken.image_alt == ""
    assert not default_storage.exists("collectives/kept.png")
    assert not default_storage.exists("collectives/broken.png")
