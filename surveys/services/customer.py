"""Customer surveys: the daily job that sends them (and one reminder), and an answer arriving.

``customer_surveys_send`` finds, per the programme (``programme.py``), the registered products and
won deals older than the delay with no survey yet, whose customer agreed to be contacted and has an
address, creates one ``CustomerSurvey`` for each and e-mails it in the customer's language (else
the tenant's), in the partner's name. A registration carries its customer's address, language and
consent; a won deal carries none, so a deal's customer is reached through the same partner's
consenting registration for that customer (same normalised name); a deal without one is skipped.
Each run also reminds, once, the surveys unanswered after ``customer_survey_reminder_days``.

``customer_survey_answer`` records the answer once and writes the ``SatisfactionResult`` the NPS
KPI counts. It is dated the day of the answer, and an answer that arrives after the scorecards of
that day's period were computed (the period is closed) is dated the first day of the next period,
so it counts there and never changes a published scorecard.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.choices import DealStatus
from partners.models import DealRegistration
from partners.selling.customers import normalise_customer
from prm.notifications.services import send_to_address
from prm.periods import parse_period
from prm.webhooks.events import emit
from scorecards.models import ProductRegistration, SatisfactionResult, Scorecard

from ..choices import SurveySource
from ..models import CustomerSurvey
from ..payloads import customer_answer_payload
from ..programme import survey_programme_for
from ..tokens import CUSTOMER, make_token, new_nonce


class SurveyClosed(Exception):
    """The link was used already, or it expired."""


def link_of(survey) -> str:
    """The survey's absolute link, for its e-mail."""
    return settings.PRM_BASE_URL + reverse("survey-answer", kwargs={"token": make_token(CUSTOMER, survey)})


def _registrations_due(tenant, cutoff: date):
    return (
        ProductRegistration.objects.for_tenant(tenant)
        .filter(customer_consent=True, date__lte=cutoff)
        .exclude(customer_email="")
        .exclude(
            pk__in=CustomerSurvey.objects.for_tenant(tenant)
            .filter(registration__isnull=False)
            .values("registration_id")
        )
        .select_related("partner")
    )


def _deals_due(tenant, cutoff: date) -> list[tuple]:
    """``(deal, registration)`` pairs: won deals up to ``cutoff`` with no survey, and the partner's
    consenting registration of the same customer (the newest) that gives the address."""
    deals = list(
        DealRegistration.objects.for_tenant(tenant)
        .filter(status=DealStatus.WON, closed_at__date__lte=cutoff)
        .exclude(
            pk__in=CustomerSurvey.objects.for_tenant(tenant).filter(deal__isnull=False).values("deal_id")
        )
        .select_related("partner")
    )
    if not deals:
        return []
    contacts = {}
    registrations = (
        ProductRegistration.objects.for_tenant(tenant)
        .filter(customer_consent=True, partner_id__in={d.partner_id for d in deals})
        .exclude(customer_email="")
        .order_by("date", "id")
    )
    for registration in registrations:
        contacts[(registration.partner_id, normalise_customer(registration.customer))] = registration
    pairs = []
    for deal in deals:
        contact = contacts.get((deal.partner_id, normalise_customer(deal.customer)))
        if contact is not None:
            pairs.append((deal, contact))
    return pairs


def _mail(tenant, survey, *, reminder: bool) -> int:
    partner = survey.partner
    return send_to_address(
        tenant=tenant,
        address=survey.email,
        language=survey.language or tenant.default_language,
        subject=lambda: (
            (
                _("Reminder: how likely are you to recommend %(partner)s?")
                if reminder
                else _("How likely are you to recommend %(partner)s?")
            )
            % {"partner": partner.name}
        ),
        template="notifications/customer_survey.txt",
        context={"survey": survey, "partner": partner, "link": link_of(survey), "reminder": reminder},
    )


def customer_surveys_send(*, tenant, today: date | None = None) -> dict:
    """Create and e-mail the customer surveys due today, and remind the unanswered ones once.
    Returns ``{"sent": n, "reminded": n}``."""
    today = today or timezone.localdate()
    programme = survey_programme_for(tenant)
    sent = reminded = 0
    with transaction.atomic():
        if programme.customer_survey_after != "off":
            cutoff = today - timedelta(days=programme.customer_survey_delay_days)
            expires = today + timedelta(days=programme.customer_survey_link_days)
            new = []
            if programme.customer_survey_after in ("registration", "both"):
                for r in _registrations_due(tenant, cutoff):
                    new.append(
                        CustomerSurvey(
                            source=SurveySource.REGISTRATION,
                            registration=r,
                            partner=r.partner,
                            customer=r.customer,
                            email=r.customer_email,
                            language=r.customer_language,
                        )
                    )
            if programme.customer_survey_after in ("deal", "both"):
                for deal, r in _deals_due(tenant, cutoff):
                    new.append(
                        CustomerSurvey(
                            source=SurveySource.DEAL,
                            deal=deal,
                            partner=deal.partner,
                            customer=deal.customer,
                            email=r.customer_email,
                            language=r.customer_language,
                        )
                    )
            for survey in new:
                survey.tenant, survey.nonce, survey.sent_on, survey.expires_on = (
                    tenant,
                    new_nonce(),
                    today,
                    expires,
                )
                survey.save()
                sent += _mail(tenant, survey, reminder=False)
        if programme.customer_survey_reminder_days:
            due = (
                CustomerSurvey.objects.for_tenant(tenant)
                .filter(
                    answered_at__isnull=True,
                    reminded_on__isnull=True,
                    sent_on__lte=today - timedelta(days=programme.customer_survey_reminder_days),
                    expires_on__gte=today,
                )
                .select_related("partner")
            )
            for survey in due:
                reminded += _mail(tenant, survey, reminder=True)
                survey.reminded_on = today
                survey.save(update_fields=["reminded_on"])
    return {"sent": sent, "reminded": reminded}


def counting_date(tenant, day: date) -> date:
    """The date an answer given on ``day`` counts on: ``day``, or the day after the end of the
    scorecard period that holds it when that period's scorecards were computed (a closed period is not reopened)."""
    codes = (
        Scorecard.objects.for_tenant(tenant)
        .filter(withdrawn_at__isnull=True)
        .values_list("period", flat=True)
        .distinct()
    )
    for code in sorted(codes, reverse=True):
        period = parse_period(code)
        if period.start <= day <= period.end:
            day = period.end + timedelta(days=1)
    return day


def survey_state(survey, today: date | None = None) -> str | None:
    """``"answered"``, ``"expired"``, or None while the link works."""
    if survey.answered_at:
        return "answered"
    if (today or timezone.localdate()) > survey.expires_on:
        return "expired"
    return None


def customer_survey_answer(*, survey, score: int, comment: str = "") -> SatisfactionResult:
    """Record the answer once (``SurveyClosed`` when it was used or expired) and the
    ``SatisfactionResult`` that feeds the partner's NPS, dated by ``counting_date``; announced as
    ``survey.answered``."""
    tenant = survey.tenant
    with transaction.atomic():
        locked = CustomerSurvey.objects.for_tenant(tenant).select_for_update().get(pk=survey.pk)
        if survey_state(locked):
            raise SurveyClosed(survey_state(locked))
        now = timezone.now()
        result = SatisfactionResult.objects.for_tenant(tenant).create(
            tenant=tenant,
            partner_id=locked.partner_id,
            date=counting_date(tenant, timezone.localdate(now)),
            score=score,
            respondent=locked.customer,
            comment=comment,
        )
        locked.answered_at, locked.score, locked.comment, locked.result = now, score, comment, result
        locked.save(update_fields=["answered_at", "score", "comment", "result"])
        emit(tenant=tenant, name="survey.answered", data=lambda: customer_answer_payload(locked))
    return result
