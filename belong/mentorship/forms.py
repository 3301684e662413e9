"""The coordinator's cycle form and the enrolment questionnaire. The forms check types and
shapes; the rules (which levels may take which role, capacities, the enrolment window) are the
actions' (belong.mentorship.actions.cycles), whose refusals the views put on the field they name."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from belong.events.forms import EventDetailsForm, EventTimesForm, event_initial
from belong.events.models import Event
from belong.mentorship import choices
from belong.mentorship.models import Concern, Cycle, Enrollment, Goal
from belong.people import identity
from belong.people.models import OrgUnit

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
    mid_check_in_on = forms.DateField(
        label=_("Mid-cycle check-in from"),
        required=False,
        widget=DATE,
        help_text=_("From this day, each person of a pair is asked how it goes."),
    )
    end_check_in_on = forms.DateField(
        label=_("End-of-cycle check-in from"), required=False, widget=DATE
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
            self.fields["shared_identity"] = forms.MultipleChoiceField(
                label=_("A mentor who answered alike about"),
                choices=[(d.key, d.label) for d in identity.DIMENSIONS],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "Optional. Compared with what you and each mentor chose to share on your "
                    "self-identification pages, only while you both consent to mentorship "
                    "matching. Nobody sees your answers, and the coordinator and your mentor "
                    "see nothing of this comparison. You may be told that you share an aspect of "
                    "identity with your mentor, never which, and only when you name two or more "
                    "(with one, that would be the answer)."
                ),
            )
            self.fields["identity_weight"] = forms.TypedChoiceField(
                label=_("How much a shared aspect of identity matters"),
                choices=choices.WEIGHT_CHOICES[1:],
                coerce=int,
                initial=2,
                required=False,
                empty_value=0,
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
                "shared_identity",
            ):
                initial[name] = getattr(enrollment, name)
            initial["program"] = enrollment.program_id
            initial["campus"] = enrollment.campus_id
            if enrollment.shared_identity:
                initial["identity_weight"] = enrollment.identity_weight
            for factor, weight in (enrollment.weights or {}).items():
                initial[f"weight_{factor}"] = weight
            initial["excluded"] = "\n".join(p.email for p in enrollment.excluded.all())
            initial["preferred"] = "\n".join(p.email for p in enrollment.preferred.all())
        return cls(data, role=role, initial=initial)

    def action_arguments(self) -> dict:
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

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            **super().action_arguments(),
            "title": data["title"],
            "description": data["description"],
        }


class EnrollmentField(forms.ModelChoiceField):
    """An enrolment of a cycle, shown by its person's name."""

    def label_from_instance(self, obj):
        return obj.person.display_name


class PairForm(forms.Form):
    """A mentee and a mentor of a cycle, chosen among `mentees` and `mentors`."""

    mentee = EnrollmentField(label=_("Mentee"), queryset=Enrollment.objects.none())
    mentor = EnrollmentField(label=_("Mentor"), queryset=Enrollment.objects.none())

    def __init__(self, *args, mentees, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = mentees
        self.fields["mentor"].queryset = mentors


class PairRuleForm(PairForm):
    """The coordinator pins a pair (always match them), excludes it (never), or clears its rule."""

    kind = forms.ChoiceField(
        label=_("Rule"),
        choices=[
            ("pin", _("Always match them")),
            ("exclude", _("Never match them")),
            ("clear", _("No rule")),
        ],
        widget=forms.RadioSelect,
        initial="pin",
    )

    def __init__(self, *args, cycle, **kwargs):
        enrolled = (
            Enrollment.objects.filter(cycle=cycle)
            .select_related("person")
            .order_by("person__full_name", "pk")
        )
        super().__init__(
            *args,
            mentees=enrolled.filter(role=Enrollment.Role.MENTEE),
            mentors=enrolled.filter(role=Enrollment.Role.MENTOR),
            **kwargs,
        )


class MeetingForm(forms.Form):
    met_on = forms.DateField(label=_("Date"), widget=DATE)
    minutes = forms.IntegerField(label=_("Length in minutes"), min_value=1, max_value=600)
    topics = forms.CharField(label=_("Topics"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the two of you read them: not the coordinator."),
    )


class GoalForm(forms.Form):
    title = forms.CharField(label=_("A goal"), max_length=200)


class GoalStateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=Goal.State.choices)


class CheckInForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("How is your match going?"),
        choices=[
            (5, _("5: very well")),
            (4, _("4: well")),
            (3, _("3: all right")),
            (2, _("2: not well")),
            (1, _("1: not at all well")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The coordinator reads your check-in; the other person does not."),
    )


class ConcernForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What you ask for"), choices=Concern.Kind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Only the coordinator reads it."),
    )


class ConcernAnswerForm(forms.Form):
    outcome = forms.ChoiceField(choices=Concern.Outcome.choices)


class RematchForm(PairForm):
    """A new match by hand: a mentee without an active match and a mentor with a place."""


class ApplicantRequestForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send a link to confirm it. Nobody sees it until an ambassador accepts."),
    )
    program = forms.ModelChoiceField(
        label=_("The program you are interested in"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("Any program"),
    )
    interests = _multiple(_("What you would like to talk about"), [])
    message = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Read only by the ambassador who accepts."),
    )

    def __init__(self, *args, **kwargs):
        from belong.mentorship.actions.connections import INTERESTS

        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = OrgUnit.objects.filter(
            kind=OrgUnit.Kind.PROGRAM
        ).order_by("name")
        self.fields["interests"].choices = INTERESTS
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"


class AmbassadorForm(forms.Form):
    programs = forms.ModelMultipleChoiceField(
        label=_("Programs you can talk about"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interests = _multiple(_("What you can talk about"), [])
    introduction = forms.CharField(
        label=_("A few words for applicants"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public page. Say only what you want applicants to read."),
    )
    show_name = forms.BooleanField(label=_("Show my name on the public page"), required=False)
    monthly_limit = forms.TypedChoiceField(
        label=_("Conversations a month, at most"),
        choices=[(n, str(n)) for n in range(1, 11)],
        coerce=int,
        initial=2,
    )
    active = forms.BooleanField(label=_("Taking requests"), required=False, initial=True)

    def __init__(self, *args, ambassador=None, **kwargs):
        from belong.mentorship.actions.connections import INTERESTS

        if ambassador is not None:
            kwargs.setdefault(
                "initial",
                {
                    "programs": [unit.pk for unit in ambassador.programs.all()],
                    "interests": ambassador.interests,
                    "introduction": ambassador.introduction,
                    "show_name": ambassador.show_name,
                    "monthly_limit": ambassador.monthly_limit,
                    "active": ambassador.active,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["programs"].queryset = OrgUnit.objects.filter(
            kind=OrgUnit.Kind.PROGRAM
        ).order_by("name")
        self.fields["interests"].choices = INTERESTS


class RouteForm(forms.Form):
    """Offer a waiting request to one of `ambassadors` (a list, read once for every form of the
    page)."""

    ambassador = forms.TypedChoiceField(label=_("Ambassador"), coerce=int)

    def __init__(self, *args, ambassadors, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_pk = {a.pk: a for a in ambassadors}
        self.fields["ambassador"].choices = [("", "---------")] + [
            (a.pk, a.person.display_name) for a in ambassadors
        ]

    def clean_ambassador(self):
        return self.by_pk[self.cleaned_data["ambassador"]]
