"""Importing prospects from a trade-show list or a distributor's reseller roster (CSV or XLSX).

All or nothing: every bad row is reported (row, field, message) and nothing is written. A row
whose company exists already — the same name once normalised ("ACME Robotics GmbH" is "acme
robotics") or the same web domain — is not imported again but reported as a duplicate with the
existing partner's id, so importing the same file twice creates nothing the second time. The
rest are created as prospects in one set of bulk inserts, each with its first stage change.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.audit_actions import PartnerAudit
from partners.choices import OperatingModel, Source, Stage
from partners.lifecycle.moves import _due_at, owner_refusal
from partners.models import Contact, Partner, StageChange
from partners.payloads import partners_payload
from partners.reference.vocabularies import Vocabulary
from partners.selling.customers import customer_domain, normalise_customer
from prm.audit.events import audit_record
from prm.imports import ImportRejected, ImportResult, error, read_table
from prm.tenancy.capabilities import Capability
from prm.tenancy.selectors import users_who_can
from prm.webhooks.events import emit_many

COLUMNS = (
    "name",
    "region",
    "country",
    "industry",
    "website",
    "source",
    "referrer",
    "lines_carried",
    "owner",
    "operating_model",
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_role",
)
MAX_LENGTHS = {"name": 200, "region": 100, "industry": 100, "referrer": 200}


@transaction.atomic
def partners_import(*, tenant, actor, file) -> ImportResult:
    rows = read_table(file, ("name",))
    known_names, known_domains = _existing(tenant)
    # every member by username: the user where its role can own a partner, else None
    owners = {
        u.username: None
        for u in get_user_model()
        .objects.filter(memberships__tenant=tenant, memberships__is_active=True)
        .distinct()
    }
    owners.update((u.username, u) for u in users_who_can(tenant=tenant, capability=Capability.OWN_PARTNERS))
    errors, duplicates, accepted, seen = [], [], [], {}
    vocabulary = Vocabulary(tenant)
    for number, row in rows:
        before = len(errors)
        fields = _fields(number, row, owners, errors, vocabulary)
        if len(errors) > before:
            continue
        key, domain = normalise_customer(fields["name"]), customer_domain(fields.get("website", ""))
        existing = known_names.get(key) or (known_domains.get(domain) if domain else None)
        if existing:
            field = "name" if key in known_names else "website"
            duplicates.append(
                {
                    **error(
                        number,
                        field,
                        _("%(name)s exists already (partner %(id)s).")
                        % {"name": fields["name"], "id": existing},
                    ),
                    "partner": existing,
                }
            )
            continue
        for marker in (key, domain and f"@{domain}"):
            if marker and marker in seen:
                errors.append(
                    error(number, "name", _("The same company as row %(row)s.") % {"row": seen[marker]})
                )
                break
        else:
            seen.update({m: number for m in (key, domain and f"@{domain}") if m})
            accepted.append((number, fields))
    if errors:
        raise ImportRejected(errors[:200])
    new = _create(tenant, actor, accepted)
    created = len(new)
    if created:
        emit_many(
            tenant=tenant, name="partner.created", items=lambda: partners_payload(tenant, [p.pk for p in new])
        )
        audit_record(
            tenant=tenant,
            actor=actor,
            action=PartnerAudit.IMPORTED,
            target=tenant,
            changes={"partners": [None, created]},
            reason=getattr(file, "name", ""),
        )
    return ImportResult(created=created, unchanged=len(duplicates), duplicates=duplicates)


def _existing(tenant) -> tuple[dict, dict]:
    names, domains = {}, {}
    for pk, name, website in (
        Partner.objects.for_tenant(tenant).values_list("id", "name", "website").order_by("id")
    ):
        names.setdefault(normalise_customer(name), pk)
        domain = customer_domain(website or "")
        if domain:
            domains.setdefault(domain, pk)
    return names, domains


def _fields(number: int, row: dict, owners: dict, errors: list, vocabulary) -> dict:
    fields = {k: row.get(k, "") for k in ("name", "region", "industry", "referrer", "lines_carried")}
    try:
        fields = vocabulary.partner_fields(fields)
    except ValidationError as exc:
        errors.extend(error(number, name, " ".join(messages)) for name, messages in exc.message_dict.items())
    if not fields["name"]:
        errors.append(error(number, "name", _("Name the company.")))
    for name, limit in MAX_LENGTHS.items():
        if len(fields[name]) > limit:
            errors.append(error(number, name, _("At most %(n)d characters.") % {"n": limit}))
    country = row.get("country", "").upper()
    if country and (len(country) != 2 or not country.isalpha()):
        errors.append(error(number, "country", _("A two-letter country code, like DE.")))
    fields["country"] = country
    website = row.get("website", "")
    if website:
        website = website if "://" in website else f"https://{website}"
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            errors.append(error(number, "website", _("Not a web address.")))
    fields["website"] = website
    source = row.get("source", "") or Source.TRADE_SHOW
    labels = {str(label).lower(): value for value, label in Source.choices}
    source = source if source in Source.values else labels.get(source.lower(), "")
    if not source:
        errors.append(error(number, "source", _("One of: %(s)s.") % {"s": ", ".join(Source.values)}))
    fields["source"] = source
    model = row.get("operating_model", "").lower()
    if model and model not in OperatingModel.values:
        errors.append(
            error(number, "operating_model", _("One of: %(s)s.") % {"s": ", ".join(OperatingModel.values)})
        )
    fields["operating_model"] = model if model in OperatingModel.values else ""
    owner = row.get("owner", "")
    if owner and owner not in owners:
        errors.append(
            error(number, "owner", _("No member of this programme is called “%(u)s”.") % {"u": owner})
        )
    elif owner and owners[owner] is None:
        errors.append(error(number, "owner", owner_refusal(owner)))
    fields["owner"] = owners.get(owner)
    contact = {
        "name": row.get("contact_name", ""),
        "email": row.get("contact_email", ""),
        "phone": row.get("contact_phone", ""),
        "role": row.get("contact_role", ""),
    }
    if contact["email"]:
        try:
            validate_email(contact["email"])
        except ValidationError:
            errors.append(error(number, "contact_email", _("Not an e-mail address.")))
    if (contact["email"] or contact["phone"]) and not contact["name"]:
        errors.append(error(number, "contact_name", _("Name the contact person.")))
    fields["contact"] = contact if contact["name"] else None
    return fields


def _create(tenant, actor, accepted: list) -> list[Partner]:

    now = timezone.now()
    due = _due_at(tenant, Stage.PROSPECTING, now)
    user = actor if getattr(actor, "is_authenticated", False) else None
    partners = Partner.objects.for_tenant(tenant).bulk_create(
        [
            Partner(
                tenant=tenant,
                stage=Stage.PROSPECTING,
                stage_entered_at=now,
                stage_due_at=due,
                **{k: v for k, v in fields.items() if k != "contact"},
            )
            for _number, fields in accepted
        ],
        batch_size=1000,
    )
    StageChange.objects.for_tenant(tenant).bulk_create(
        [
            StageChange(
                tenant=tenant,
                partner=p,
                from_stage="",
                to_stage=Stage.PROSPECTING,
                changed_by=user,
                changed_at=now,
            )
            for p in partners
        ],
        batch_size=1000,
    )
    Contact.objects.for_tenant(tenant).bulk_create(
        [
            Contact(tenant=tenant, partner=p, is_primary=True, **fields["contact"])
            for p, (_number, fields) in zip(partners, accepted, strict=True)
            if fields["contact"]
        ],
        batch_size=1000,
    )
    return partners
