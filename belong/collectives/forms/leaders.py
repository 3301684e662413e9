"""Forms of the leaders' pages: the collective's page, and (for DEI administrators) its leaders."""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from belong.collectives.models import FocusArea, LeaderRole
from belong.lib import images


class PageForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences, shown on the list of collectives."),
    )
    mission = forms.CharField(
        label=_("Mission"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Paragraphs separated by a blank line."),
    )
    vision = forms.CharField(
        label=_("Vision"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    commitments = forms.CharField(
        label=_("Commitments"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line, in the order they should appear."),
    )
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Areas of focus"),
        queryset=FocusArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    image = forms.FileField(
        label=_("Image"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)
    image_alt = forms.CharField(
        label=_("Image description"),
        required=False,
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )

    def __init__(self, *args, has_image=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_image = has_image
        self.fields["image"].help_text = _(
            "A JPEG, PNG or WebP picture of at most %(limit)d MB."
        ) % {"limit": settings.COLLECTIVE_IMAGE_MAX_MB}
        if not has_image:
            del self.fields["remove_image"]

    def clean_image(self):
        """What is stored is the picture drawn anew (belong.lib.images): never the uploaded
        bytes, never the name's extension, never more than IMAGE_MAX_MEGAPIXELS."""
        upload = self.cleaned_data.get("image")
        if not upload:
            return upload
        limit = settings.COLLECTIVE_IMAGE_MAX_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                _("The image is larger than %(limit)d MB: choose a smaller one.") % {"limit": limit}
            )
        stem = PurePath(upload.name or "").stem.strip(". ") or "image"
        try:
            return images.redraw(upload, stem=stem[:60])
        except images.PictureRefused as refused:
            raise forms.ValidationError(refused.message) from None

    def clean(self):
        data = super().clean()
        keeps_image = (self.has_image and not data.get("remove_image")) or data.get("image")
        if keeps_image and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        return data


class LeaderForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The address the person signs in with."),
    )
    title = forms.ChoiceField(label=_("Role"), choices=LeaderRole.Title.choices)
    other_title = forms.CharField(
        label=_("Name of the role, if other"), required=False, max_length=80
    )
    starts_on = forms.DateField(
        label=_("Term starts"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Term ends"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave it empty for a term with no set end."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        person = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("Nobody with this email address uses Belong."))
        self.person = person
        return email

    def clean(self):
        data = super().clean()
        if data.get("title") == LeaderRole.Title.OTHER and not data.get("other_title", "").strip():
            self.add_error("other_title", _("Name the role when the title is “other”."))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The term cannot end before it starts."))
        return data
