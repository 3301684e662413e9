"""Called from PeopleConfig.ready: the sign-in receiver (rules) and the /me/ link."""

from django.urls import reverse
from django.utils.translation import gettext as _

from belong.people import me_sections
from belong.people.mfa import rules


def links(person):
    if rules.is_enrolled(person):
        description = _("On: a code from your authenticator app after your password")
    elif rules.required_for(person):
        description = _("Required for your role when you sign in with a password: set it up")
    else:
        description = _("Off: add a code from an authenticator app to your password")
    return [me_sections.Link(84, reverse("people:two_step"), _("Two-step sign-in"), description)]


def ready():
    me_sections.register("two_step", order=1, links=links)
