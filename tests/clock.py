"""Times for the events tests build: a day counted from today, at a fixed hour of the site's
time zone. An event built as "now plus N days" starts at the hour the suite happens to run,
and one that starts late in the evening ends after midnight, which the edit forms (a date, a
start time and an end time) cannot show: such tests failed only when run at night."""

import datetime

from django.utils import timezone


def local_day_at(days, hour=10, minute=0):
    """`days` from today (negative: ago), at `hour`:`minute` local time, aware."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# A fixed instant: the clock of the tests that pass `now` (recommendations' submission and answers).
PINNED = datetime.datetime(2025, 3, 3, 15, 0, tzinfo=datetime.UTC)
