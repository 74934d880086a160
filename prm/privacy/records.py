"""Where a person's data lives in one tenant: each kind of record and how to find the person's rows.

``person_found(subject)`` resolves the person to their own records (contacts, memberships and
users, applications) and the terms that name them (the e-mail and their names); ``SOURCES`` then
lists, kind by kind, the querysets of rows that hold or mention the person. Every queryset names
the subject's tenant (``for_tenant``), so another tenant's rows are never read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from incentives.models import MdfRequest
from leads.models import Lead
from onboarding.models import Agreement, Application
from partners.models import Contact, DealRegistration, Objection, Partner, PartnerUser, Visit
from prm.audit.models import AuditEntry
from prm.jobs.models import Job
from prm.notifications.models import NotificationPreference, SentEmail
from prm.tenancy.models import Membership
from prm.webhooks.models import Event
from scorecards.models import ProductRegistration

from .subject import ERASED_DOMAIN, Subject

#: names shorter than this are not searched for in free text (too many false matches)
MIN_TERM = 5


@dataclass
class Person:
    """A subject resolved: its own rows and the terms (e-mail, names) that mention it."""

    subject: Subject
    contacts: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    applications: list = field(default_factory=list)
    terms: list = field(default_factory=list)

    @property
    def tenant(self):
        return self.subject.tenant

    @property
    def user_ids(self) -> list:
        return [m.user_id for m in self.memberships]


def _by_email_or_id(queryset, email_field: str, email: str, ids: set):
    conditions = [Q(pk__in=ids)] if ids else []
    if email:
        conditions.append(Q(**{f"{email_field}__iexact": email}))
    return queryset.filter(reduce(or_, conditions)) if conditions else queryset.none()


def person_found(subject: Subject) -> Person:
    """The subject's own records in its tenant, and the terms that name it elsewhere."""
    tenant, email = subject.tenant, subject.email
    contacts = _by_email_or_id(Contact.objects.for_tenant(tenant), "email", email, subject.contact_ids)
    memberships = _by_email_or_id(
        Membership.objects.for_tenant(tenant).select_related("user"),
        "user__email",
        email,
        subject.membership_ids,
    )
    applications = _by_email_or_id(
        Application.objects.for_tenant(tenant), "email", email, subject.application_ids
    )
    person = Person(subject, list(contacts), list(memberships), list(applications))
    names = {c.name for c in person.contacts} | {a.contact_name for a in person.applications}
    names |= {m.user.get_full_name() for m in person.memberships}
    terms = {n.strip() for n in names if n and len(n.strip()) >= MIN_TERM and "Erased person" not in n}
    if email:
        terms.add(email)
    person.terms = sorted(terms, key=lambda t: (-len(t), t))
    return person


def _mentions(queryset, fields: list[str], terms: list[str]):
    if not terms:
        return queryset.none()
    return queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": t}) for f in fields for t in terms)))


def _json_mentions(queryset, json_field: str, terms: list[str], also: Q | None = None):
    annotated = queryset.annotate(_as_text=Cast(json_field, TextField()))
    condition = reduce(or_, (Q(_as_text__icontains=t) for t in terms), Q(pk__in=[]))
    return annotated.filter(condition | also if also is not None else condition)


def _audit(person: Person):
    about = [
        Q(target_type="partners.contact", target_id__in=[str(c.pk) for c in person.contacts]),
        Q(target_type="tenancy.membership", target_id__in=[str(m.pk) for m in person.memberships]),
        Q(target_type="onboarding.application", target_id__in=[str(a.pk) for a in person.applications]),
        Q(actor_id__in=person.user_ids),
        *(Q(target_repr__icontains=t) | Q(reason__icontains=t) for t in person.terms),
    ]
    return _json_mentions(
        AuditEntry.objects.for_tenant(person.tenant), "changes", person.terms, reduce(or_, about)
    )


@dataclass(frozen=True)
class Source:
    """One kind of record: ``rows(person)`` the person's rows of it; ``erasable`` whether erasure
    rewrites it (else it is only exported: money and history that point at the anonymised user)."""

    kind: str
    label: object
    rows: Callable[[Person], QuerySet]
    erasable: bool = True


def _tenant(model):
    return lambda person: model.objects.for_tenant(person.tenant)


SOURCES = [
    Source(
        "contacts", _("Contacts"), lambda p: _tenant(Contact)(p).filter(pk__in=[c.pk for c in p.contacts])
    ),
    Source(
        "members",
        _("Members and partner users"),
        lambda p: _tenant(Membership)(p).filter(pk__in=[m.pk for m in p.memberships]).select_related("user"),
    ),
    Source(
        "partner_users",
        _("Partner links"),
        lambda p: _tenant(PartnerUser)(p).filter(membership__in=[m.pk for m in p.memberships]),
        erasable=False,
    ),
    Source(
        "applications",
        _("Applications"),
        lambda p: _tenant(Application)(p).filter(pk__in=[a.pk for a in p.applications]),
    ),
    Source(
        "leads",
        _("Leads (customer contact)"),
        lambda p: (
            _tenant(Lead)(p).filter(contact_email__iexact=p.subject.email)
            if p.subject.email
            else Lead.objects.none()
        ),
    ),
    Source(
        "product_registrations",
        _("Product registrations (end customer)"),
        lambda p: (
            _tenant(ProductRegistration)(p).filter(customer_email__iexact=p.subject.email)
            if p.subject.email
            else ProductRegistration.objects.none()
        ),
    ),
    Source(
        "visits",
        _("Visits and calls naming them"),
        lambda p: _mentions(_tenant(Visit)(p), ["summary", "next_step"], p.terms),
    ),
    Source(
        "objections",
        _("Objections naming them"),
        lambda p: _mentions(_tenant(Objection)(p), ["note"], p.terms),
    ),
    Source(
        "referrals",
        _("Partners they referred"),
        lambda p: _mentions(_tenant(Partner)(p), ["referrer"], p.terms),
    ),
    Source(
        "agreements",
        _("Agreements they signed or uploaded"),
        lambda p: (
            _mentions(_tenant(Agreement)(p), ["signatories"], p.terms)
            | _tenant(Agreement)(p).filter(uploaded_by__in=p.user_ids)
        ),
    ),
    Source("audit", _("Audit trail entries"), _audit),
    Source(
        "webhook_events",
        _("Webhook events naming them"),
        lambda p: _json_mentions(_tenant(Event)(p), "data", p.terms),
    ),
    Source(
        "sent_emails",
        _("E-mails sent to them (the mail store)"),
        lambda p: _json_mentions(_tenant(SentEmail)(p), "to", [p.subject.email] if p.subject.email else []),
    ),
    Source(
        "notification_preferences",
        _("Notification choices"),
        lambda p: _tenant(NotificationPreference)(p).filter(user__in=p.user_ids),
    ),
    Source(
        "deal_registrations",
        _("Deal registrations they entered"),
        lambda p: _tenant(DealRegistration)(p).filter(registered_by__in=p.user_ids),
        erasable=False,
    ),
    Source(
        "mdf_requests",
        _("MDF requests they made"),
        lambda p: _tenant(MdfRequest)(p).filter(requested_by__in=p.user_ids),
        erasable=False,
    ),
    Source(
        "jobs",
        _("Jobs they started"),
        lambda p: _tenant(Job)(p).filter(requested_by__in=p.user_ids),
        erasable=False,
    ),
]


def counts(person: Person) -> dict[str, int]:
    """{kind: rows} of every kind with at least one row."""
    found = {source.kind: source.rows(person).distinct().count() for source in SOURCES}
    return {kind: n for kind, n in found.items() if n}


def is_erased_email(email: str) -> bool:
    return email.lower().endswith("@" + ERASED_DOMAIN)
