"""Certificates: the owner's PDF download and the public verification page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from belong.lib import ratelimit
from belong.training import certificate_pdf
from belong.training.forms.certificates import CertificateCodeForm
from belong.training.models import Certificate, Course

# Lookups a client address may make per window: plenty for people, far too few to guess a code
# among 2**40.
VERIFY_LIMIT = 30
VERIFY_WINDOW = 60  # seconds


def own_certificate(request, code):
    """The signed-in person's certificate with this code; 404 for anyone else's."""
    return get_object_or_404(
        Certificate.objects.select_related("person", "course"), code=code, person=request.user
    )


@login_required
@require_safe
@never_cache  # a person's own document: no shared cache keeps it
def download(request, code):
    certificate = own_certificate(request, code)
    titles = []
    if certificate.kind == Certificate.Kind.FOUNDATIONAL:
        titles = list(
            Course.objects.filter(foundational=True, is_active=True)
            .order_by("order", "title")
            .values_list("title", flat=True)
        )
    response = HttpResponse(
        certificate_pdf.render(certificate, foundational_titles=titles),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"certificate-{certificate.code}.pdf"
    )
    return response


@require_safe
def verify(request):
    template = "training/certificate_verify.html"
    if "code" not in request.GET:
        return render(request, template, {"form": CertificateCodeForm()})
    if not ratelimit.allow(
        "certificate-verify",
        ratelimit.client_ip(request),
        limit=VERIFY_LIMIT,
        window=VERIFY_WINDOW,
    ):
        response = render(
            request, template, {"form": CertificateCodeForm(), "limited": True}, status=429
        )
        response["Retry-After"] = str(ratelimit.retry_after(VERIFY_WINDOW))
        return response
    form = CertificateCodeForm(request.GET)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    certificate = (
        Certificate.objects.select_related("person", "course")
        .filter(code=form.cleaned_data["code"])
        .first()
    )
    if certificate is None:
        return render(request, template, {"form": form, "unknown": True}, status=404)
    return render(request, template, {"form": form, "certificate": certificate})
