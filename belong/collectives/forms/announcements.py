"""The form of a collective's leaders for an announcement (the write is
belong.collectives.actions.announcements)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from belong.collectives.actions import announcements as announcement_actions
from belong.collectives.forms.events import TOO_LONG, focus_area_field
from belong.collectives.models import Announcement, FocusArea


class AnnouncementForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=announcement_actions.MAX_TITLE,
        help_text=_("A short line: it is the email's subject."),
        error_messages={"required": _("Give the announcement a title."), "max_length": TOO_LONG},
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=announcement_actions.MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Markdown: leave a blank line between paragraphs; start a line with “- ” for a "
            "list; write a link as [the words](https://example.org); **bold**, *italics*. "
            "Other HTML is removed."
        ),
        error_messages={"required": _("Write the announcement."), "max_length": TOO_LONG},
    )
    audience = forms.ChoiceField(
        label=_("Who may read it on the collective's page"),
        choices=Announcement.Audience.choices,
        initial=Announcement.Audience.PUBLIC,
        widget=forms.RadioSelect,
        help_text=_(
            "Either way, it is emailed to the collective's members and allies who receive "
            "announcements by email."
        ),
        error_messages={
            "required": _("Choose who may read it."),
            "invalid_choice": _("Choose who may read it: everyone, or members and allies only."),
        },
    )
    focus_areas = focus_area_field(
        _("Optional. The announcement is listed on the page of each area chosen.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_areas"].queryset = FocusArea.objects.all()
