"""The certificate a certified partner downloads."""

from prm.pdf import render_pdf


def render_certificate(partner, certified_on, courses, language: str | None = None) -> bytes:
    """The certificate in the reader's ``language`` (else the tenant's)."""
    context = {"partner": partner, "certified_on": certified_on, "courses": courses}
    return render_pdf("onboarding/certificate.html", context, tenant=partner.tenant, language=language)
