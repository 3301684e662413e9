"""API tokens expire and carry scopes (issue 16). A token made before lasts 90 days from this
migration (settings.API_TOKEN_DAYS) and may read and write, not one's self-identification:
that scope is asked for anew."""

import belong.people.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0003_self_identification_consent'),
    ]

    operations = [
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(default=belong.people.models.token_expiry, verbose_name='expires'),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='scopes',
            field=models.JSONField(default=belong.people.models.default_scopes, verbose_name='scopes'),
        ),
    ]
