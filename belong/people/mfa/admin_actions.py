"""The admin's action on people: an operator resets the two-step sign-in of the people chosen
(belong.people.mfa.actions.reset_two_step). Only operators see it (PersonAdmin's
has_reset_two_step_permission); the action checks again, person by person."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from belong.people.mfa import actions


def may_reset(request) -> bool:
    return actions.access.is_operator(request.user)


@admin.action(
    description=_("Reset two-step sign-in (ends their sign-ins)"), permissions=["reset_two_step"]
)
def reset_two_step(modeladmin, request, queryset):
    done = 0
    for person in queryset:
        try:
            actions.reset_two_step(person.pk, actor=request.user)
        except PermissionDenied:
            messages.error(
                request,
                _("Not reset for %(person)s: only operators reset someone else's two-step sign-in.")
                % {"person": person.email},
            )
        else:
            done += 1
    if done:
        messages.success(
            request,
            ngettext(
                "Two-step sign-in reset for %(count)d person; they were told by email.",
                "Two-step sign-in reset for %(count)d people; each was told by email.",
                done,
            )
            % {"count": done},
        )
