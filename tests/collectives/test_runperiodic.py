"""The daily notice to leaders about shared experiences runs with `manage.py runperiodic`."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from belong.collectives.actions import experiences
from belong.collectives.models import Experience
from belong.notifications.models import OutboundMessage


def test_runperiodic_tells_leaders_the_day_after_an_experience_is_shared(collective, leads, alice):
    experiences.share(
        collective.pk,
        person=alice,
        text="It happened in clinic.",
        anonymous=True,
        consent_to_publish=False,
    )
    # Shared today: the leaders hear of it only from tomorrow on.
    call_command("runperiodic", verbosity=0)
    assert not OutboundMessage.objects.filter(to_email="bob@example.org").exists()
    Experience.objects.update(shared_on=timezone.localdate() - datetime.timedelta(days=1))
    call_command("runperiodic", verbosity=0)
    told = list(OutboundMessage.objects.filter(to_email="bob@example.org"))
    assert len(told) == 1
    assert "It happened in clinic." not in told[0].body_text
    assert "alice" not in told[0].body_text.lower()
