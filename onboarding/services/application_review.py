"""Reviewing an application's answers off the tenant's lists: the reviewer settles each one by
picking a listed value, or by adding the candidate's own text to the list (one click); either way
the prospect gets the value and the answer leaves the application's ``unlisted``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.lifecycle.moves import partner_update
from partners.models import ReferenceItem
from partners.reference.lists import reference_save
from partners.reference.vocabularies import Vocabulary
from prm.audit.events import audit_record

from ..audit_actions import OnboardingAudit
from ..models import Application
from .applications import REVIEWED_FIELDS


def _listed_value(*, tenant, actor, kind: str, text: str) -> str:
    """The list's item named ``text`` (any case), switched on or added when it is not there."""
    item = ReferenceItem.objects.for_tenant(tenant).filter(kind=kind, name__iexact=text).first()
    if item is not None and not item.active:
        item = reference_save(tenant=tenant, actor=actor, kind=kind, name=item.name, item=item, active=True)
    if item is None:
        item = reference_save(tenant=tenant, actor=actor, kind=kind, name=text)
    return item.name


@transaction.atomic
def application_review(
    *, application: Application, actor, field: str, value: str = "", add_to_list: bool = False
) -> Application:
    """Settle ``field`` (``region`` or ``industry``) of an application flagged for it: ``value``, a
    value of the tenant's list (any of its spellings), or ``add_to_list`` to add the candidate's own
    text to the list and use it. The prospect created by the application gets the value (audited
    there), the application records it was settled. A field not waiting for review is refused."""
    tenant = application.tenant
    application = Application.objects.for_tenant(tenant).select_for_update().get(pk=application.pk)
    if field not in REVIEWED_FIELDS or field not in application.unlisted:
        raise ValidationError({"field": [_("This answer is not waiting for review.")]})
    kind = REVIEWED_FIELDS[field]
    text = getattr(application, field)
    if add_to_list:
        if not text:
            raise ValidationError({"value": [_("The candidate left this empty: pick a value.")]})
        value = _listed_value(tenant=tenant, actor=actor, kind=kind, text=text)
    else:
        value = (value or "").strip()
        if not value:
            raise ValidationError({"value": [_("Pick a value of the list, or add the candidate's.")]})
        try:
            value = Vocabulary(tenant).canonical(kind, value)
        except ValidationError as exc:
            raise ValidationError({"value": exc.messages}) from exc
    if application.partner_id:
        partner_update(partner=application.partner, actor=actor, **{field: value})
    application.unlisted = [name for name in application.unlisted if name != field]
    application.save(update_fields=["unlisted"])
    audit_record(
        tenant=tenant,
        actor=actor,
        action=OnboardingAudit.APPLICATION_REVIEWED,
        target=application,
        changes={field: [text, value]},
        reason=_("added to the list") if add_to_list else "",
    )
    return application
