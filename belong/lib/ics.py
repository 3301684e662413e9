"""Calendar data (RFC 5545) written with the icalendar library: one invite, or a feed of many.

An event's UID never changes; its SEQUENCE is raised by every change of time or place, and a
cancellation is METHOD:CANCEL with STATUS:CANCELLED. Times are written in the installation's
zone with its VTIMEZONE, so calendars show the same wall-clock time Belong does.
"""

import datetime
import functools
from dataclasses import dataclass, field

import icalendar
from django.conf import settings
from django.utils import timezone

PRODID = "-//Belong//Belonging and DEI programs//EN"


@dataclass
class CalendarItem:
    uid: str
    sequence: int
    title: str
    start: datetime.datetime
    end: datetime.datetime
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    attendee_email: str = ""
    attendee_name: str = ""
    categories: list[str] = field(default_factory=list)


def _organizer():
    address = settings.DEFAULT_FROM_EMAIL
    if "<" in address:
        name, address = address.split("<", 1)
        return name.strip(), address.rstrip(">").strip()
    return settings.SITE_NAME, address


def _vevent(item: CalendarItem, zone) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", item.uid)
    vevent.add("sequence", item.sequence)
    vevent.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    vevent.add("dtstart", item.start.astimezone(zone))
    vevent.add("dtend", item.end.astimezone(zone))
    vevent.add("summary", item.title)
    if item.description:
        vevent.add("description", item.description)
    if item.location:
        vevent.add("location", item.location)
    if item.url:
        vevent.add("url", item.url)
    if item.categories:
        vevent.add("categories", item.categories)
    name, address = _organizer()
    organizer = icalendar.vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = icalendar.vText(name)
    vevent.add("organizer", organizer)
    if item.attendee_email:
        attendee = icalendar.vCalAddress(f"mailto:{item.attendee_email}")
        attendee.params["cn"] = icalendar.vText(item.attendee_name or item.attendee_email)
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = icalendar.vText("DECLINED" if item.cancelled else "ACCEPTED")
        vevent.add("attendee", attendee)
    vevent.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT" if item.cancelled else "OPAQUE")
    return vevent


@functools.cache
def _vtimezone(tzid: str) -> icalendar.Timezone:
    """The zone's VTIMEZONE, built once per process (building it from the zone database was
    most of the cost of an invite). Shared by every calendar and never changed."""
    # From 2020 on: events are this decade's; the rules' tail covers later years.
    return icalendar.Timezone.from_tzid(
        tzid, first_date=datetime.date(2020, 1, 1), last_date=datetime.date(2040, 1, 1)
    )


@functools.cache
def _vtimezone_text(tzid: str) -> str:
    """The VTIMEZONE as written in a calendar, also once per process: serializing its rules was
    most of what was left of an invite's cost."""
    return _vtimezone(tzid).to_ical().decode()


def calendar(items: list[CalendarItem], *, method: str | None = None, name: str = "") -> str:
    """A VCALENDAR of the items. `method` is REQUEST or CANCEL for an emailed invite (RFC 5546),
    None for a download or a feed."""
    zone = timezone.get_default_timezone()
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", str(zone))
    for item in items:
        cal.add_component(_vevent(item, zone))
    text = cal.to_ical().decode()
    if not items:
        return text
    # The VTIMEZONE goes where icalendar would write it, before the first event: the same text
    # as adding the component, without serializing its rules for every calendar.
    head, sep, tail = text.partition("BEGIN:VEVENT\r\n")
    return head + _vtimezone_text(str(zone)) + sep + tail
