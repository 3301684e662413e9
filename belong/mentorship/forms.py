"""The coordinator's cycle form and the enrolment questionnaire. The forms check types and
shapes; the rules (which levels may take which role, capacities, the enrolment window) are the
actions' (belong.mentorship.actions), whose refusals the views put on the field they name."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from belong.events.models import Event
from belong.mentorship import choices
from belong.mentorship.models import Cycle, Enrollment
from belong.people.models import OrgUnit
from belong.training.forms import EventDetailsForm, EventTimesForm, event_initial

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CycleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    academic_year = forms.CharField(
        label=_("Academic year"), max_length=9, help_text=_("For example 2026-2027.")
    )
    enrolment_opens_on = forms.DateField(label=_("Enrolment opens on"), widget=DATE)
    enrolment_closes_on = forms.DateField(label=_("Enrolment closes on"), widget=DATE)
    matching_on = forms.DateField(label=_("Matching date"), widget=DATE)
    mode = forms.ChoiceField(
        label=_("Matching mode"),
        choices=Cycle.Mode.choices,
        initial=Cycle.Mode.OPTIMAL,
        widget=forms.RadioSelect,
    )
    min_score = forms.DecimalField(
        label=_("Minimum score"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        initial=1,
        help_text=_("A pair scoring less is left unmatched rather than badly matched."),
    )

    @classmethod
    def for_cycle(cls, cycle, data=None):
        initial = {name: getattr(cycle, name) for name in cls.base_fields}
        return cls(data, initial=initial)


def _multiple(label, vocabulary, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        choices=vocabulary,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class PeopleField(forms.CharField):
    """People named by their email addresses, one per line: a list of persons. An address
    nobody here holds is refused with the address, so that an exclusion is never silently lost."""

    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value):
        value = super().clean(value)
        emails = []
        for line in (value or "").replace(",", "\n").splitlines():
            email = line.strip().lower()
            if email and email not in emails:
                emails.append(email)
        people = {
            person.email.lower(): person
            for person in get_user_model().objects.filter(email__in=emails, is_active=True)
        }
        unknown = [email for email in emails if email not in people]
        if unknown:
            raise forms.ValidationError(
                _("Nobody here has the address %(emails)s: check it, one address per line."),
                params={"emails": ", ".join(unknown)},
            )
        return [people[email] for email in emails]


class EnrollmentForm(forms.Form):
    training_level = forms.ChoiceField(label=_("Training level"))
    program = forms.ModelChoiceField(
        label=_("Program or department"),
        queryset=OrgUnit.objects.filter(
            kind__in=[OrgUnit.Kind.PROGRAM, OrgUnit.Kind.DEPARTMENT]
        ).order_by("name"),
        required=False,
    )
    specialty = forms.CharField(label=_("Specialty"), max_length=120, required=False)
    campus = forms.ModelChoiceField(
        label=_("Campus"),
        queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.CAMPUS).order_by("name"),
        required=False,
    )
    career_interests = _multiple(_("Career interests"), choices.CAREER_INTERESTS)
    dei_interests = _multiple(_("DEI interests"), choices.DEI_INTERESTS)
    languages = _multiple(_("Languages you speak"), choices.LANGUAGES)
    meeting = _multiple(_("How you would like to meet"), choices.MEETING)
    availability = _multiple(_("When you are available"), choices.AVAILABILITY)
    hopes = forms.CharField(
        label=_("What you hope for"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    excluded = PeopleField(
        label=_("People you must not be matched with"),
        required=False,
        help_text=_(
            "Their email addresses, one per line: a supervisor, a conflict. Only you and the "
            "mentorship coordinator see this list; they are never told."
        ),
    )

    def __init__(self, *args, role, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        levels = choices.MENTEE_LEVELS if role == "mentee" else choices.MENTOR_LEVELS
        self.fields["training_level"].choices = [("", "---------")] + [
            (key, label) for key, label in choices.TRAINING_LEVEL_CHOICES if key in levels
        ]
        if role == Enrollment.Role.MENTOR:
            self.fields["capacity"] = forms.TypedChoiceField(
                label=_("How many mentees you can take"),
                choices=[(n, str(n)) for n in range(1, choices.MAX_MENTOR_CAPACITY + 1)],
                coerce=int,
                initial=1,
            )
        else:
            for factor, label in choices.WEIGHTED_FACTORS:
                self.fields[f"weight_{factor}"] = forms.TypedChoiceField(
                    label=label,
                    choices=choices.WEIGHT_CHOICES,
                    coerce=int,
                    initial=choices.DEFAULT_WEIGHT,
                    widget=forms.RadioSelect,
                )
            self.fields["preferred"] = PeopleField(
                label=_("Mentors you would like"),
                required=False,
                help_text=_(
                    "Their email addresses, one per line, if you have someone in mind. The "
                    "coordinator takes it into account; it is not a promise."
                ),
            )

    @property
    def weight_fields(self):
        return [self[f"weight_{factor}"] for factor, _label in choices.WEIGHTED_FACTORS]

    @classmethod
    def for_enrollment(cls, enrollment, *, role, data=None):
        initial = {}
        if enrollment is not None:
            for name in (
                "training_level",
                "specialty",
                "career_interests",
                "dei_interests",
                "languages",
                "meeting",
                "availability",
                "hopes",
                "capacity",
            ):
                initial[name] = getattr(enrollment, name)
            initial["program"] = enrollment.program_id
            initial["campus"] = enrollment.campus_id
            for factor, weight in (enrollment.weights or {}).items():
                initial[f"weight_{factor}"] = weight
            initial["excluded"] = "\n".join(p.email for p in enrollment.excluded.all())
            initial["preferred"] = "\n".join(p.email for p in enrollment.preferred.all())
        return cls(data, role=role, initial=initial)

    def answers(self):
        """The cleaned answers as the `enrol` action takes them."""
        data = dict(self.cleaned_data)
        weights = {
            factor: data.pop(f"weight_{factor}")
            for factor, _label in choices.WEIGHTED_FACTORS
            if f"weight_{factor}" in data
        }
        data["weights"] = weights
        data.setdefault("preferred", [])
        return data


KICKOFF_VISIBILITY = [
    (Event.Visibility.PUBLIC, _("Everyone, visitors included")),
    (Event.Visibility.ORGANIZATION, _("People who sign in")),
]


class KickoffForm(EventDetailsForm, EventTimesForm):
    """A cycle's kickoff, an event of the events engine (people register on its page, get its
    invitation and reminder): what it is, when (in the installation's zone), where, seats and
    registration, who may see it. With `event`, an edit of it as it is."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happens at the kickoff, shown on the event's page."),
    )

    field_order = ["title", "description"]
    place_help = _("The building and room, for a kickoff in person.")
    closes_help = _("Leave it empty to keep it open until the kickoff starts.")
    visibility_choices = KICKOFF_VISIBILITY
    move_refused = _("The kickoff can only be moved to a time still ahead.")

    def __init__(self, *args, cycle=None, event=None, **kwargs):
        self.event = event
        if event is not None:
            kwargs.setdefault(
                "initial",
                {**event_initial(event), "title": event.title, "description": event.description},
            )
        elif cycle is not None:
            kwargs.setdefault("initial", {"title": _("Kickoff: %(cycle)s") % {"cycle": cycle}})
        super().__init__(*args, **kwargs)
        if event is not None and event.visibility not in dict(KICKOFF_VISIBILITY):
            self.fields["visibility"].choices = [
                *KICKOFF_VISIBILITY,
                (event.visibility, event.get_visibility_display()),
            ]

    def fields_for_action(self):
        data = self.cleaned_data
        return {
            **self.event_fields(),
            "title": data["title"],
            "description": data["description"],
            "start": data["start"],
            "end": data["end"],
        }
