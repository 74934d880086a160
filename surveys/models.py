"""Survey invitations and answers.

Every invitation carries a random ``nonce``; its link is the invitation signed with it
(``tokens.py``), so a link works only for its own row, and the row's ``answered_at`` makes it
single-use.

Partner survey answers are anonymous by construction: a ``PartnerSurveyAnswer`` keeps only the
round, the answering partner's tier, region and operating model at the time, and the answers. The
invitation (which names the person, to send the e-mail) keeps only *that* it was answered, which
stops a second answer; nothing links the answer row to the invitation or to a person.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import DealRegistration, Partner
from prm.tenancy.scoping import TenantOwned
from scorecards.models import ProductRegistration, SatisfactionResult

from .choices import SurveySource, group_of

SCORE = [MinValueValidator(0), MaxValueValidator(10)]


class CustomerSurvey(TenantOwned):
    """One end customer asked, in the partner's name, how likely it is to recommend the partner.

    Created by the daily job (``services.customer.customer_surveys_send``) after a registered
    product or a won deal; answered once through its link, which makes a ``SatisfactionResult``."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="customer_surveys")
    source = models.CharField(_("after"), max_length=12, choices=SurveySource.choices)
    registration = models.ForeignKey(
        ProductRegistration, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    deal = models.ForeignKey(
        DealRegistration, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    customer = models.CharField(_("customer"), max_length=200)
    email = models.EmailField(_("customer e-mail"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    nonce = models.CharField(max_length=32, editable=False)
    sent_on = models.DateField(_("sent on"), default=timezone.localdate)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)
    expires_on = models.DateField(_("link valid until"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True, validators=SCORE)
    comment = models.TextField(_("comment"), blank=True)
    result = models.ForeignKey(
        SatisfactionResult, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("customer survey")
        verbose_name_plural = _("customer surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "registration"], name="customer_survey_registration_once"
            ),
            models.UniqueConstraint(fields=["tenant", "deal"], name="customer_survey_deal_once"),
        ]
        indexes = [models.Index(fields=["tenant", "answered_at", "sent_on"], name="customer_survey_open")]

    def __str__(self):
        return f"{self.customer} · {self.partner}"

    @property
    def group(self) -> str | None:
        return None if self.score is None else group_of(self.score)


class PartnerSurvey(TenantOwned):
    """A survey round of the partners' own people about the programme: the recommend question
    (0–10) and up to five more, ``questions`` = ``[{"text": …, "kind": "scale"|"yesno"|"text"}]``.

    Sent (once) to the active users of the partners in ``tiers``, ``regions`` and
    ``operating_models`` (each empty: any); lost and dormant partners are left out."""

    title = models.CharField(_("title"), max_length=200)
    questions = models.JSONField(_("questions"), default=list, blank=True)
    tiers = models.JSONField(_("tiers"), default=list, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    operating_models = models.JSONField(_("operating models"), default=list, blank=True)
    link_days = models.PositiveSmallIntegerField(
        _("answers accepted for (days)"),
        default=21,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("partner survey")
        verbose_name_plural = _("partner surveys")

    def __str__(self):
        return self.title


class PartnerSurveyInvitation(TenantOwned):
    """One partner user asked in a round; ``answered_at`` says only *that* it answered (see the
    module's note on anonymity)."""

    survey = models.ForeignKey(PartnerSurvey, on_delete=models.CASCADE, related_name="invitations")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=32, editable=False)
    expires_on = models.DateField(_("link valid until"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "id"]
        verbose_name = _("partner survey invitation")
        verbose_name_plural = _("partner survey invitations")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "survey", "user"], name="partner_survey_invited_once"),
        ]


class PartnerSurveyAnswer(TenantOwned):
    """One anonymous answer of a round: the recommend score, the other answers in the order of the
    round's questions, and the answering partner's group (tier, region, operating model) then."""

    survey = models.ForeignKey(PartnerSurvey, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(_("score"), validators=SCORE)
    answers = models.JSONField(_("answers"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    tier = models.CharField(_("tier"), max_length=1, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    operating_model = models.CharField(_("operating model"), max_length=40, blank=True)
    answered_on = models.DateField(_("answered on"), default=timezone.localdate)

    class Meta:
        ordering = ["survey", "id"]
        verbose_name = _("partner survey answer")
        verbose_name_plural = _("partner survey answers")

    @property
    def group(self) -> str:
        return group_of(self.score)
