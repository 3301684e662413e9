"""Collectives' images move to the public storage (belong.lib.media), drawn anew on the way
(belong.lib.images: nothing but the pixels): the default storage is never served. An image that
cannot be read as a picture is dropped, with its description."""

import os

from django.core.files.storage import default_storage
from django.db import migrations, models

import belong.lib.media


def move_images(apps, schema_editor):
    from belong.lib.images import PictureRefused, redraw
    from belong.lib.media import public_storage

    Collective = apps.get_model("collectives", "Collective")
    public = public_storage()
    for collective in Collective.objects.exclude(image="").iterator():
        name = collective.image.name
        if public.exists(name):
            continue  # already moved
        try:
            with default_storage.open(name, "rb") as old:
                stem = os.path.splitext(os.path.basename(name))[0] or "image"
                picture = redraw(old, stem=stem)
        except (OSError, PictureRefused):
            collective.image, collective.image_alt = "", ""
        else:
            collective.image = public.save(f"collectives/{picture.name}", picture)
        collective.save(update_fields=["image", "image_alt"])
        if default_storage.exists(name):
            default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("collectives", "0003_collective_life"),
    ]

    operations = [
        migrations.AlterField(
            model_name="collective",
            name="image",
            field=models.ImageField(
                blank=True,
                help_text="A photograph or banner for the collective's page (JPEG, PNG or WebP).",
                storage=belong.lib.media.public_storage,
                upload_to="collectives/",
                verbose_name="image",
            ),
        ),
        migrations.RunPython(move_images, migrations.RunPython.noop, elidable=True),
    ]
