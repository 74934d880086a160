"""Partner surveys: a round created, sent once to the eligible partners' people, answered once each.

The answer is written without the person (see ``models``): the invitation only records that it was
answered, in the same transaction, under its row lock, so two answers through one link cannot both
count.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.choices import INACTIVE
from partners.models import Partner
from partners.selectors import partner_accounts
from prm.audit.events import audit_record
from prm.notifications import notify
from prm.webhooks.events import emit

from ..audit_actions import SurveyAudit
from ..choices import MAX_QUESTIONS, QuestionKind
from ..models import PartnerSurvey, PartnerSurveyAnswer, PartnerSurveyInvitation
from ..payloads import partner_answer_payload
from ..tokens import PARTNER, make_token, new_nonce
from .customer import SurveyClosed


def clean_questions(questions) -> list[dict]:
    """``[{"text", "kind"}]`` checked: at most ``MAX_QUESTIONS``, each with a text and a known kind."""
    rows = [q for q in (questions or []) if (q.get("text") or "").strip()]
    if len(rows) > MAX_QUESTIONS:
        raise ValidationError({"questions": [_("At most %(n)d questions.") % {"n": MAX_QUESTIONS}]})
    cleaned = []
    for q in rows:
        kind = q.get("kind") or QuestionKind.SCALE
        if kind not in QuestionKind.values:
            raise ValidationError({"questions": [_("A question's kind is scale, yesno or text.")]})
        cleaned.append({"text": q["text"].strip()[:300], "kind": kind})
    return cleaned


def partner_survey_create(
    *, tenant, actor, title, questions=(), tiers=(), regions=(), operating_models=(), link_days=21
):
    """A new round, not sent yet (audited)."""
    with transaction.atomic():
        survey = PartnerSurvey.objects.for_tenant(tenant).create(
            tenant=tenant,
            title=title,
            questions=clean_questions(questions),
            tiers=list(tiers or ()),  # None (a form's empty list): every partner
            regions=list(regions or ()),
            operating_models=list(operating_models or ()),
            link_days=link_days,
            created_by=actor,
        )
        audit_record(
            tenant=tenant,
            actor=actor,
            action=SurveyAudit.PARTNER_SURVEY_CREATED,
            target=survey,
            changes={"title": [None, title], "questions": [None, len(survey.questions)]},
        )
    return survey


def eligible_partners(survey):
    partners = Partner.objects.for_tenant(survey.tenant).exclude(stage__in=INACTIVE)
    if survey.regions:
        partners = partners.filter(region__in=survey.regions)
    if survey.operating_models:
        partners = partners.filter(operating_model__in=survey.operating_models)
    partners = list(partners)
    if survey.tiers:
        partners = [p for p in partners if p.tier in survey.tiers]
    return partners


def link_of(invitation) -> str:
    return settings.PRM_BASE_URL + reverse("survey-answer", kwargs={"token": make_token(PARTNER, invitation)})


def partner_survey_send(*, survey, actor) -> int:
    """Invite every active user of the eligible partners and e-mail each its own link; once
    (a round already sent is refused). Returns how many people were invited."""
    tenant = survey.tenant
    with transaction.atomic():
        survey = PartnerSurvey.objects.for_tenant(tenant).select_for_update().get(pk=survey.pk)
        if survey.sent_at:
            raise ValidationError(_("This survey was sent already."))
        partners = {p.pk: p for p in eligible_partners(survey)}
        accounts = partner_accounts(tenant=tenant, partner_ids=partners)
        expires = timezone.localdate() + timedelta(days=survey.link_days)
        invitations = []
        for partner_id, users in accounts.items():
            for user in {u.pk: u for u in users}.values():
                invitation = PartnerSurveyInvitation.objects.for_tenant(tenant).create(
                    tenant=tenant,
                    survey=survey,
                    partner_id=partner_id,
                    user=user,
                    nonce=new_nonce(),
                    expires_on=expires,
                )
                notify(
                    tenant=tenant,
                    users=[user],
                    category="partner_surveys",
                    subject=_("%(vendor)s asks for your view of its partner programme")
                    % {"vendor": tenant.name},
                    template="notifications/partner_survey.txt",
                    context={"survey": survey, "partner": partners[partner_id], "link": link_of(invitation)},
                )
                invitations.append(invitation)
        survey.sent_at = timezone.now()
        survey.save(update_fields=["sent_at"])
        audit_record(
            tenant=tenant,
            actor=actor,
            action=SurveyAudit.PARTNER_SURVEY_SENT,
            target=survey,
            changes={"invited": [None, len(invitations)]},
        )
    return len(invitations)


def invitation_state(invitation, today=None) -> str | None:
    if invitation.answered_at:
        return "answered"
    if (today or timezone.localdate()) > invitation.expires_on:
        return "expired"
    return None


def clean_answers(survey, answers) -> list:
    """The answers to the round's extra questions in their order: an int 0–10 for a scale, a bool
    for yes/no, a string for a text; a missing one None."""
    answers = list(answers or [])
    cleaned = []
    for i, question in enumerate(survey.questions):
        value = answers[i] if i < len(answers) else None
        if value in (None, ""):
            cleaned.append(None)
        elif question["kind"] == QuestionKind.SCALE:
            try:
                number = int(value)
            except (TypeError, ValueError, OverflowError):
                number = -1
            if not 0 <= number <= 10:
                raise ValidationError({"answers": [_("A scale answer is a number from 0 to 10.")]})
            cleaned.append(number)
        elif question["kind"] == QuestionKind.YESNO:
            cleaned.append(value in (True, "yes", "true", "1", 1))
        else:
            cleaned.append(str(value).replace("\x00", "").strip()[:2000])  # PostgreSQL keeps no NUL
    return cleaned


def partner_survey_answer(*, invitation, score: int, answers=(), comment: str = "") -> PartnerSurveyAnswer:
    """Record one anonymous answer through ``invitation`` (``SurveyClosed`` when used or expired),
    from its link or from the portal; announced as ``survey.answered`` (the round, not the answer)."""
    tenant = invitation.tenant
    with transaction.atomic():
        locked = (
            PartnerSurveyInvitation.objects.for_tenant(tenant)
            .select_for_update()
            .select_related("survey", "partner")
            .get(pk=invitation.pk)
        )
        if invitation_state(locked):
            raise SurveyClosed(invitation_state(locked))
        partner = locked.partner
        answer = PartnerSurveyAnswer.objects.for_tenant(tenant).create(
            tenant=tenant,
            survey=locked.survey,
            score=score,
            answers=clean_answers(locked.survey, answers),
            comment=comment.strip(),
            tier=partner.tier or "",
            region=partner.region or "",
            operating_model=partner.operating_model or "",
        )
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answered_at"])
        emit(tenant=tenant, name="survey.answered", data=lambda: partner_answer_payload(locked.survey))
    return answer
