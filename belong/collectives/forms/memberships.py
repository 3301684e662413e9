from django import forms
from django.utils.translation import gettext_lazy as _

from belong.collectives.models import Membership


class MembershipForm(forms.Form):
    """Join a collective, or change how one belongs: as a member or an ally, and who may see
    it (the collective's leaders only unless the person chooses otherwise). Each choice is
    explained on the page (collectives/partials/membership_explain.html)."""

    kind = forms.ChoiceField(
        label=_("I join as"),
        choices=Membership.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose “member” or “ally”."),
            "invalid_choice": _("Choose “member” or “ally”."),
        },
    )
    visibility = forms.ChoiceField(
        label=_("Who may see that you belong"),
        choices=Membership.Visibility.choices,
        initial=Membership.Visibility.LEADERS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Choose who may see it: its leaders only, its members, or the whole organization."
            ),
            "invalid_choice": _(
                "Choose who may see it: its leaders only, its members, or the whole organization."
            ),
        },
    )

    def __init__(self, *args, membership=None, **kwargs):
        if membership is not None:
            kwargs.setdefault(
                "initial", {"kind": membership.kind, "visibility": membership.visibility}
            )
        super().__init__(*args, **kwargs)
