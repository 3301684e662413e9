"""The program page (/mentorship/) with enrolment while a cycle's window is open, and the
enrolment questionnaire itself. Thin views: load, call the action
(belong.mentorship.actions.cycles), redirect with a message, or the form again with its errors (400)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from belong.lib.refusals import add_to_form
from belong.library.models import Policy
from belong.mentorship import access
from belong.mentorship.actions import cycles as actions
from belong.mentorship.forms import EnrollmentForm
from belong.mentorship.models import Cycle, Enrollment, Program
from belong.people import privacy
from belong.people.models import Consent

DIVERSITY_STATEMENT = "medical-school-diversity-statement"


def open_cycle(today=None):
    """The cycle whose enrolment is open today, if any (windows never overlap)."""
    today = today or timezone.localdate()
    return (
        Cycle.objects.filter(
            published_at__isnull=True,
            enrolment_opens_on__lte=today,
            enrolment_closes_on__gte=today,
        )
        .select_related("kickoff")
        .first()
    )


def program(request):
    program = Program.current()
    cycle = open_cycle()
    mine = {}
    if cycle is not None and request.user.is_authenticated:
        mine = {e.role: e for e in Enrollment.objects.filter(cycle=cycle, person=request.user)}
    return render(
        request,
        "mentorship/program.html",
        {
            "program": program,
            "commitments": program.commitments.all() if program else [],
            "statement": Policy.objects.filter(slug=DIVERSITY_STATEMENT, is_public=True).first(),
            "cycle": cycle,
            "my_enrollments": mine,
            "coordinates": access.can_coordinate(request.user),
        },
    )


def _role_or_404(role):
    if role not in Enrollment.Role.values:
        raise Http404
    return role


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request, role):
    """The questionnaire for the open cycle, as a mentee or as a mentor: enrol, or change the
    answers while the window is open."""
    role = _role_or_404(role)
    cycle = open_cycle()
    if cycle is None:
        messages.info(request, _("Enrolment is not open at the moment."))
        return redirect("mentorship:program")
    enrollment = (
        Enrollment.objects.filter(cycle=cycle, person=request.user, role=role)
        .prefetch_related("preferred", "excluded")
        .first()
    )
    data = request.POST if request.method == "POST" else None
    form = EnrollmentForm.for_enrollment(enrollment, role=role, data=data)
    status = 200
    if data is not None:
        if form.is_valid():
            try:
                _saved, created = actions.enrol(
                    cycle.pk,
                    person=request.user,
                    role=role,
                    today=timezone.localdate(),
                    **form.action_arguments(),
                )
            except actions.Refused as refusal:
                add_to_form(form, refusal)
            else:
                if not created:
                    text = _("Your answers for %(cycle)s are saved.")
                elif role == Enrollment.Role.MENTOR:
                    text = _("You are enrolled in %(cycle)s as a mentor.")
                else:
                    text = _("You are enrolled in %(cycle)s as a mentee.")
                messages.success(request, text % {"cycle": cycle.title})
                return redirect("mentorship:program")
        status = 400
    return render(
        request,
        "mentorship/enrol.html",
        {
            "cycle": cycle,
            "role": role,
            "form": form,
            "enrollment": enrollment,
            "matching_consent": Consent.Purpose.MATCHING in privacy.standing(request.user),
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, role):
    role = _role_or_404(role)
    cycle = open_cycle()
    enrollment = (
        Enrollment.objects.filter(cycle=cycle, person=request.user, role=role).first()
        if cycle
        else None
    )
    if enrollment is None:
        messages.info(request, _("You are not enrolled in an open cycle in that role."))
        return redirect("mentorship:program")
    if request.method == "POST":
        try:
            actions.withdraw(cycle.pk, person=request.user, role=role, today=timezone.localdate())
        except actions.Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("You withdrew from %(cycle)s; your answers are deleted.")
                % {"cycle": cycle.title},
            )
        return redirect("mentorship:program")
    return render(request, "mentorship/withdraw.html", {"cycle": cycle, "enrollment": enrollment})
