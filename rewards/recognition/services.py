"""Recognition's use cases that write: grant an award (announced), revoke it (with a reason), keep the
categories. Each is audited; the webhook event and the e-mail leave with the commit."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partners.models import Partner
from partners.selectors import partner_accounts
from prm.audit.events import audit_record
from prm.notifications import notify
from prm.periods import parse_period
from prm.webhooks.events import emit

from .audit_actions import AwardAudit
from .models import Award, AwardCategory
from .payloads import award_payload
from .people import person_name

_YEAR = re.compile(r"^\d{4}$")


def clean_period(code: str) -> str:
    """A year (``2026``), a quarter (``2026-Q3``) or a month (``2026-07``), spelled the house's way."""
    code = (code or "").strip().upper()
    if _YEAR.match(code):
        return code
    try:
        return parse_period(code).code
    except ValidationError:
        raise ValidationError(
            {"period": [_("Use a year like 2026, a quarter like 2026-Q3 or a month like 2026-07.")]}
        ) from None


@transaction.atomic
def award_grant(
    *, tenant, actor, category: AwardCategory, period: str, partner: Partner, citation: str, person=None
) -> Award:
    """Grant ``category``'s award for ``period`` to ``partner`` (and ``person``, one of its users),
    with a citation. Refused: an inactive category, a person of another partner, an empty citation,
    the same award for the same period to the same partner twice. Announced: ``award.granted``, an
    e-mail to the partner's people, the audit trail."""
    period = clean_period(period)
    errors = {}
    if category.tenant_id != tenant.pk or not category.active:
        errors["category"] = [_("Choose an active award category.")]
    if person is not None and (person.tenant_id != tenant.pk or person.partner_id != partner.pk):
        errors["person"] = [_("The person recognised must be one of the partner's users.")]
    if not (citation or "").strip():
        errors["citation"] = [_("Say in a citation what the award recognises.")]
    if errors:
        raise ValidationError(errors)
    award = Award(
        tenant=tenant,
        category=category,
        period=period,
        partner=partner,
        person=person,
        citation=citation.strip(),
        granted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            award.save()
    except IntegrityError:
        raise ValidationError(
            {
                "period": [
                    _("%(partner)s already holds this award for %(period)s.")
                    % {"partner": partner.name, "period": period}
                ]
            }
        ) from None
    audit_record(
        tenant=tenant,
        actor=actor,
        action=AwardAudit.AWARD_GRANTED,
        target=award,
        changes={
            "partner": [None, partner.name],
            "period": [None, period],
            "category": [None, category.name],
        },
    )
    emit(tenant=tenant, name="award.granted", data=lambda: award_payload(award))
    _announce(tenant, award)
    return award


def _announce(tenant, award: Award) -> None:
    """E-mail the partner's people that it (or one of them) was recognised."""
    users = partner_accounts(tenant=tenant, partner_ids=[award.partner_id]).get(award.partner_id, [])
    with translation.override(tenant.default_language):
        subject = _("%(partner)s: %(award)s %(period)s") % {
            "partner": award.partner.name,
            "award": award.category.name,
            "period": award.period,
        }
    notify(
        tenant=tenant,
        users=users,
        category="awards",
        subject=subject,
        template="notifications/award_granted.txt",
        context={"award": award, "person": person_name(award.person)},
    )


@transaction.atomic
def award_revoke(*, award: Award, actor, reason: str) -> Award:
    """Revoke an award, saying why: it leaves the partner's page, *My programme* and the finder, and
    stays in the list as revoked. Audited with the reason."""
    award = Award.objects.for_tenant(award.tenant_id).select_for_update().get(pk=award.pk)
    if award.revoked_at is not None:
        raise ValidationError({"detail": [_("This award is already revoked.")]})
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the award is revoked.")]})
    award.revoked_at = timezone.now()
    award.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    award.revoke_reason = reason.strip()
    award.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(
        tenant=award.tenant,
        actor=actor,
        action=AwardAudit.AWARD_REVOKED,
        target=award,
        changes={"revoked_at": [None, award.revoked_at.isoformat()]},
        reason=award.revoke_reason,
    )
    return award


@transaction.atomic
def category_save(*, tenant, actor, category: AwardCategory | None = None, **fields) -> AwardCategory:
    """Add or change an award category (name, description, position, active). Audited."""
    category = category or AwardCategory(tenant=tenant)
    for name, value in fields.items():
        setattr(category, name, value)
    category.full_clean(exclude=["tenant"])
    taken = (
        AwardCategory.objects.for_tenant(tenant).filter(name__iexact=category.name).exclude(pk=category.pk)
    )
    if taken.exists():
        raise ValidationError({"name": [_("There is a category of that name already.")]})
    category.save()
    audit_record(
        tenant=tenant,
        actor=actor,
        action=AwardAudit.CATEGORY_SAVED,
        target=category,
        changes={k: [None, str(v)] for k, v in fields.items()},
    )
    return category
