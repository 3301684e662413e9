"""The collectives list and a collective's page, cached for visitors (belong.lib.page_cache).
Every change to what they show makes a new version."""

from django.conf import settings

from belong.lib.page_cache import PageCache

pages = PageCache("collectives", lambda: settings.COLLECTIVES_CACHE_SECONDS)


def connect():
    """Called from CollectivesConfig.ready()."""
    from belong.collectives import models as c
    from belong.events.models import Event, Registration
    from belong.people.models import Person

    pages.connect(
        [
            c.CollectivesPage,
            c.Collective,
            c.Commitment,
            c.FocusArea,
            c.LeaderRole,
            c.Membership,
            c.EventHosting,
            c.EventFocus,
            c.Announcement,
            c.Experience,
            c.Recommendation,
            c.RecommendationUpdate,
            Event,
            Registration,
            Person,
        ],
        m2m=[c.Collective.focus_areas.through, c.Announcement.focus_areas.through],
        # Leaders' names are shown; signing in (which saves last_login) changes nothing shown.
        unshown={Person: {"last_login"}},
    )
