from django.shortcuts import render

from belong.library.models import Policy
from belong.mentorship.models import Program

DIVERSITY_STATEMENT = "medical-school-diversity-statement"


def program(request):
    program = Program.current()
    return render(
        request,
        "mentorship/program.html",
        {
            "program": program,
            "commitments": program.commitments.all() if program else [],
            "statement": Policy.objects.filter(slug=DIVERSITY_STATEMENT, is_public=True).first(),
        },
    )
