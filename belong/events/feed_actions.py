"""A person's private calendar feed: its address is made on first use and replaced on request.
Replacing it gives a new token, so the old address stops working at once."""

from django.db import transaction

from belong.events.models import CalendarFeed, new_code
from belong.people.actions import audit


@transaction.atomic
def calendar_feed(*, person) -> CalendarFeed:
    """The person's feed, made the first time they ask for it."""
    feed, created = CalendarFeed.objects.get_or_create(person=person)
    if created:
        audit(actor=person, verb="calendar_feed.created", obj=feed)
    return feed


@transaction.atomic
def replace_calendar_feed(*, person) -> CalendarFeed:
    """A new secret address; the old one answers 404 from now on."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(person=person)
    if not created:
        feed.token = new_code()
        feed.save(update_fields=["token"])
    audit(actor=person, verb="calendar_feed.replaced", obj=feed)
    return feed
