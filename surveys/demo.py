"""Demo surveys: a customer survey answered through its link, and a partner survey round with
promoters, passives and detractors in every group shown.

Idempotent: a tenant that has the demo round already is left as it is. The customer survey is made
and answered through the same services as the e-mailed link (``customer_survey_answer``); the
partner round's answers are written as the link would write them (anonymous rows with the
partner's group), enough of them for each group to reach the minimum. The demo partner user is
invited to the round and has not answered yet: *My surveys* offers it the round to answer.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from partners.choices import INACTIVE
from partners.models import Partner, PartnerUser
from prm.tenancy.choices import Role
from prm.tenancy.models import Membership
from scorecards.models import ProductRegistration

from .choices import SurveySource
from .models import CustomerSurvey, PartnerSurvey, PartnerSurveyAnswer, PartnerSurveyInvitation
from .services.customer import customer_survey_answer
from .services.partner import partner_survey_create
from .tokens import new_nonce

TITLE = "Partner programme pulse"
#: ten people's scores and comments, cycled over the partners: 4 promoters, 3 passives, 3 detractors
SCORES = [
    (10, "The deal registration answers come fast."),
    (9, ""),
    (9, "Good training, good people."),
    (10, ""),
    (8, ""),
    (7, "MDF claims take too long."),
    (8, ""),
    (6, "Pricing changes without notice."),
    (4, "Too many portals."),
    (5, ""),
]


def seed(tenant) -> None:
    if PartnerSurvey.objects.for_tenant(tenant).filter(title=TITLE).exists():
        return
    manager = (
        Membership.objects.filter(tenant=tenant, role=Role.CHANNEL_MANAGER).select_related("user").first()
    )
    actor = manager.user if manager else None
    _customer_survey(tenant)
    survey = partner_survey_create(
        tenant=tenant,
        actor=actor,
        title=TITLE,
        questions=[
            {"text": "Is the partner portal easy to use?", "kind": "yesno"},
            {"text": "How useful is the training? (0–10)", "kind": "scale"},
            {"text": "What should we change first?", "kind": "text"},
        ],
    )
    partners = list(Partner.objects.for_tenant(tenant).exclude(stage__in=INACTIVE).order_by("id")[:12])
    if not partners:
        return
    rows = []
    for i in range(max(20, len(partners) * 2)):
        partner = partners[i % len(partners)]
        score, comment = SCORES[i % len(SCORES)]
        rows.append(
            PartnerSurveyAnswer(
                tenant=tenant,
                survey=survey,
                score=score,
                answers=[score >= 7, min(10, score + 1), comment],
                comment=comment,
                tier=partner.tier or "",
                region=partner.region or "",
                operating_model=partner.operating_model or "",
            )
        )
    PartnerSurveyAnswer.objects.for_tenant(tenant).bulk_create(rows)
    survey.sent_at = timezone.now() - timedelta(days=10)
    survey.save(update_fields=["sent_at"])
    _invite_demo_partner(tenant, survey)


def _invite_demo_partner(tenant, survey) -> None:
    """The demo partner user's own invitation to the round, still open (answered in the portal)."""
    link = (
        PartnerUser.objects.for_tenant(tenant)
        .filter(membership__user__username=f"{tenant.slug}-partner")
        .select_related("membership")
        .first()
    )
    if link is None:
        return
    PartnerSurveyInvitation.objects.for_tenant(tenant).create(
        tenant=tenant,
        survey=survey,
        partner_id=link.partner_id,
        user_id=link.membership.user_id,
        nonce=new_nonce(),
        expires_on=timezone.localdate(survey.sent_at) + timedelta(days=survey.link_days),
    )


def _customer_survey(tenant) -> None:
    """The newest consenting registration's customer, surveyed and answered through its link."""
    registration = (
        ProductRegistration.objects.for_tenant(tenant)
        .filter(customer_consent=True)
        .exclude(customer_email="")
        .select_related("partner")
        .order_by("-date", "-id")
        .first()
    )
    if registration is None:
        registration = (
            ProductRegistration.objects.for_tenant(tenant)
            .select_related("partner")
            .order_by("-date", "-id")
            .first()
        )
    if (
        registration is None
        or CustomerSurvey.objects.for_tenant(tenant).filter(registration=registration).exists()
    ):
        return
    today = timezone.localdate()
    survey = CustomerSurvey.objects.for_tenant(tenant).create(
        tenant=tenant,
        partner=registration.partner,
        source=SurveySource.REGISTRATION,
        registration=registration,
        customer=registration.customer,
        email=registration.customer_email or "customer@example.com",
        language=registration.customer_language,
        nonce=new_nonce(),
        sent_on=today - timedelta(days=3),
        expires_on=today + timedelta(days=27),
    )
    customer_survey_answer(
        survey=survey, score=9, comment="Installed on time, and they explained everything."
    )
