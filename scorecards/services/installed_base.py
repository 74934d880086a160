"""The installed base: registered products' warranty and service dates, reminders before them, and
the sales they turned into.

A registration takes its warranty end and next service date from the tenant's product catalogue
(the reference list ``product``: ``warranty_months``, ``service_months``). A daily beat job
(``scorecards.installed_base``) moves passed service dates on by one interval, sends reminders
``service_reminder_days`` before a service or a warranty end (to the partner's users, in the
partner's name; to the end customer too, in the customer's language, where the programme allows
it and the customer agreed), and links each reminder of the last 180 days to the partner's first
sale to that customer after it. Each step is a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.choices import ReferenceKind
from partners.models import Partner, ReferenceItem, Sale
from partners.reference.vocabularies import Vocabulary
from partners.selectors import partner_accounts
from prm.imports import ImportRejected, ImportResult, read_csv
from prm.notifications import notify
from prm.notifications.services import send_to_address
from prm.sql import update_rows

from ..models import ProductRegistration, ServiceReminder
from ..programme import scorecard_programme_for

CONVERSION_WINDOW_DAYS = 180


def catalogue(tenant) -> dict[str, tuple[int | None, int | None]]:
    """{product name: (warranty months, service months)} from the product list: one query."""
    rows = ReferenceItem.objects.for_tenant(tenant).filter(kind=ReferenceKind.PRODUCT)
    return {name: (w, s) for name, w, s in rows.values_list("name", "warranty_months", "service_months")}


def first_service_after(start: date, months: int | None, today: date) -> date | None:
    """The first service date (every ``months`` from ``start``) on or after today."""
    if not months:
        return None
    due, step = start + relativedelta(months=months), 1
    while due < today:
        step += 1
        due = start + relativedelta(months=months * step)
    return due


def lifecycle_dates(product: str, start: date, terms: dict, today: date | None = None) -> dict:
    """warranty_ends and next_service of a product registered on ``start``."""
    warranty, service = terms.get(product, (None, None))
    return {
        "warranty_ends": start + relativedelta(months=warranty) if warranty else None,
        "next_service": first_service_after(start, service, today or timezone.localdate()),
    }


def services_roll_forward(tenant, today: date) -> int:
    """Service dates that have passed move on by their product's interval: one read, one write."""
    terms = catalogue(tenant)
    passed = list(
        ProductRegistration.objects.for_tenant(tenant)
        .filter(next_service__lt=today)
        .only("id", "product", "date", "next_service")
    )
    for registration in passed:
        registration.next_service = first_service_after(
            registration.date, terms.get(registration.product, (None, None))[1], today
        )
    update_rows(ProductRegistration, passed, ["next_service"], tenant_id=tenant.pk)
    return len(passed)


def reminders_send(tenant, today: date) -> dict:
    """Reminders for services and warranty ends within the programme's days, once each."""
    programme = scorecard_programme_for(tenant)
    horizon = today + timedelta(days=programme.service_reminder_days)
    registrations = ProductRegistration.objects.for_tenant(tenant).select_related("partner")
    due = []
    for kind, field in (
        (ServiceReminder.Kind.SERVICE, "next_service"),
        (ServiceReminder.Kind.WARRANTY, "warranty_ends"),
    ):
        sent = ServiceReminder.objects.for_tenant(tenant).filter(
            registration=OuterRef("pk"), kind=kind, due_on=OuterRef(field)
        )
        for registration in registrations.filter(
            **{f"{field}__gte": today, f"{field}__lte": horizon}
        ).exclude(Q(pk__in=Subquery(sent.values("registration_id")))):
            due.append((registration, kind, getattr(registration, field)))
    if not due:
        return {"reminders": 0, "emails": 0}
    to_customers = programme.remind_end_customers
    reminders = [
        ServiceReminder(
            tenant=tenant,
            registration=r,
            kind=kind,
            due_on=day,
            sent_on=today,
            to_customer=bool(to_customers and r.customer_consent and r.customer_email),
        )
        for r, kind, day in due
    ]
    by_partner = defaultdict(list)
    for reminder in reminders:
        by_partner[reminder.registration.partner_id].append(reminder)
    accounts = partner_accounts(tenant=tenant, partner_ids=by_partner)
    emails = 0
    with transaction.atomic():
        ServiceReminder.objects.for_tenant(tenant).bulk_create(reminders, ignore_conflicts=True)
        for partner_id, items in by_partner.items():
            partner = items[0].registration.partner
            emails += notify(
                tenant=tenant,
                users=accounts.get(partner_id, []),
                category="installed_base",
                subject=_("%(n)d of your customers' products are due for service or warranty renewal")
                % {"n": len(items)},
                template="notifications/installed_base.txt",
                context={"partner": partner, "reminders": items},
            )
        for reminder in reminders:
            if reminder.to_customer:
                registration = reminder.registration
                emails += send_to_address(
                    tenant=tenant,
                    address=registration.customer_email,
                    language=registration.customer_language or tenant.default_language,
                    subject=lambda r=registration: (
                        _("%(partner)s: your %(product)s") % {"partner": r.partner.name, "product": r.product}
                    ),
                    template="notifications/customer_reminder.txt",
                    context={
                        "registration": registration,
                        "reminder": reminder,
                        "partner": registration.partner,
                    },
                )
    return {"reminders": len(reminders), "emails": emails}


def reminders_convert(tenant, today: date) -> int:
    """Link reminders of the last 180 days to the partner's first sale to that customer after them."""
    first_sale = (
        Sale.objects.for_tenant(tenant)
        .filter(
            partner_id=OuterRef("registration__partner_id"),
            customer__iexact=OuterRef("registration__customer"),
            date__gte=OuterRef("sent_on"),
        )
        .order_by("date", "id")
        .values("id")[:1]
    )
    open_reminders = ServiceReminder.objects.for_tenant(tenant).filter(
        sale__isnull=True, sent_on__gte=today - timedelta(days=CONVERSION_WINDOW_DAYS)
    )
    found = list(
        open_reminders.annotate(first=Subquery(first_sale))
        .filter(first__isnull=False)
        .values_list("pk", "first")
    )
    rows = [ServiceReminder(pk=pk, sale_id=sale) for pk, sale in found]
    update_rows(ServiceReminder, rows, ["sale"], tenant_id=tenant.pk)
    return len(rows)


def installed_base_daily(*, tenant, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    rolled = services_roll_forward(tenant, today)
    sent = reminders_send(tenant, today)
    return {"services_rolled": rolled, **sent, "converted": reminders_convert(tenant, today)}


def installed_base_summary(tenant, registrations) -> dict:
    """Reminders sent and those that turned into sales, for the registrations shown: one query."""

    counts = (
        ServiceReminder.objects.for_tenant(tenant)
        .filter(registration__in=registrations)
        .aggregate(sent=Count("id"), sold=Count("id", filter=Q(sale__isnull=False)))
    )
    return counts


IMPORT_COLUMNS = [
    "partner",
    "customer",
    "product",
    "serial",
    "date",
    "customer_email",
    "customer_language",
    "customer_consent",
]
REQUIRED = ["customer", "product", "serial"]


def registrations_import(*, tenant, file, actor=None, partner=None):
    """Product registrations from a CSV: all or nothing, every bad row named; a product and serial
    registered already is ``unchanged``. Staff name the ``partner`` (id or exact name) per row; a
    partner user's rows are its own (``partner`` given)."""

    rows = read_csv(file, REQUIRED if partner else [*REQUIRED, "partner"])
    partners = {str(p.pk): p for p in Partner.objects.for_tenant(tenant)} if partner is None else {}
    by_name = {p.name.casefold(): p for p in partners.values()}
    vocabulary, terms, today = Vocabulary(tenant), catalogue(tenant), timezone.localdate()
    known = set(ProductRegistration.objects.for_tenant(tenant).values_list("product", "serial"))
    errors, new, seen, unchanged = [], [], {}, 0

    def error(row, field, message):
        errors.append({"row": row, "field": field, "message": str(message)})

    for number, raw in rows:
        owner = (
            partner or partners.get(raw.get("partner", "")) or by_name.get(raw.get("partner", "").casefold())
        )
        if owner is None:
            error(number, "partner", _("No such partner."))
            continue
        try:
            product = vocabulary.canonical(ReferenceKind.PRODUCT, raw["product"])
        except Exception as exc:  # a ValidationError naming the list
            error(number, "product", " ".join(getattr(exc, "messages", [str(exc)])))
            continue
        try:
            day = date.fromisoformat(raw["date"]) if raw.get("date") else today
        except ValueError:
            error(number, "date", _("Use a date like 2026-07-31."))
            continue
        key = (product, raw["serial"].strip())
        if key in seen:
            error(number, "serial", _("Repeats row %(r)d.") % {"r": seen[key]})
            continue
        seen[key] = number
        if key in known:
            unchanged += 1
            continue
        registration = ProductRegistration(
            tenant=tenant,
            partner=owner,
            customer=raw["customer"].strip(),
            product=product,
            serial=key[1],
            date=day,
            customer_email=raw.get("customer_email", "").strip(),
            customer_language=raw.get("customer_language", "").strip(),
            customer_consent=raw.get("customer_consent", "").strip().lower() in ("1", "yes", "true", "y"),
            registered_by=actor if getattr(actor, "is_authenticated", False) else None,
            **lifecycle_dates(product, day, terms, today),
        )
        try:
            registration.full_clean(
                exclude=["tenant", "partner", "registered_by"],
                validate_unique=False,
                validate_constraints=False,
            )
        except Exception as exc:
            for field, messages in getattr(exc, "message_dict", {"serial": [str(exc)]}).items():
                error(number, field, " ".join(messages))
            continue
        new.append(registration)
    if errors:
        raise ImportRejected(errors[:200])
    with transaction.atomic():
        ProductRegistration.objects.for_tenant(tenant).bulk_create(new)
    return ImportResult(created=len(new), unchanged=unchanged)
