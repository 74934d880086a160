"""Who the person is: an e-mail address and/or the records an admin pointed at, in one tenant.

A person is named by an e-mail (every record of the tenant with that address is theirs) or by one
of their records (a contact, a member, an application); a record named that way also brings its
e-mail, so all the person's records are found either way. Records of another tenant are never
found: every query names the tenant, and a named record of another tenant is 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404
from django.utils.translation import gettext as _

from onboarding.models import Application
from partners.models import Contact
from prm.tenancy.models import Membership

#: the domain of the placeholder addresses erased records get (RFC 2606: never deliverable)
ERASED_DOMAIN = "erased.invalid"

#: what an admin may name a person by, besides an e-mail: {parameter: model}
BY_OBJECT = {"contact": Contact, "member": Membership, "application": Application}


@dataclass
class Subject:
    """The person: ``email`` (lower-cased, "" when unknown) and the ids of records named directly."""

    tenant: object
    email: str = ""
    contact_ids: set = field(default_factory=set)
    membership_ids: set = field(default_factory=set)
    application_ids: set = field(default_factory=set)

    @property
    def confirmation(self) -> str:
        """What an admin types to confirm an erasure: the e-mail, or the word "erase"."""
        return self.email or "erase"

    @property
    def is_empty(self) -> bool:
        return not (self.email or self.contact_ids or self.membership_ids or self.application_ids)

    def query(self) -> dict:
        """How to name this person again (the page's links, the API's parameters)."""
        if self.email:
            return {"email": self.email}
        for name, ids in (
            ("contact", self.contact_ids),
            ("member", self.membership_ids),
            ("application", self.application_ids),
        ):
            if ids:
                return {name: min(ids)}
        return {}


def _object_id(value, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: [_("Give the number of the record.")]}) from None


def subject_for(*, tenant, email: str = "", contact=None, member=None, application=None) -> Subject:
    """The person named by ``email`` or by one record of ``tenant`` (Http404 for a record that is
    not the tenant's); a ``ValidationError`` when nothing, or a malformed e-mail, is given."""
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from None
    subject = Subject(tenant=tenant, email=email)
    named = {"contact": contact, "member": member, "application": application}
    for name, value in named.items():
        if value in (None, ""):
            continue
        model = BY_OBJECT[name]
        pk = _object_id(value, name)
        found = model.objects.for_tenant(tenant).filter(pk=pk).first()
        if found is None:
            raise Http404(_("No such record."))
        if name == "contact":
            subject.contact_ids.add(pk)
            found_email = found.email
        elif name == "member":
            subject.membership_ids.add(pk)
            found_email = found.user.email
        else:
            subject.application_ids.add(pk)
            found_email = found.email
        if not subject.email and found_email and not found_email.endswith("@" + ERASED_DOMAIN):
            subject.email = found_email.lower()
    if subject.is_empty:
        raise ValidationError(
            {"email": [_("Give an e-mail address, or name a contact, member or application.")]}
        )
    return subject


def placeholder_email(kind: str, pk) -> str:
    """The non-deliverable address an erased record keeps (unique per record)."""
    return f"erased-{kind}-{pk}@{ERASED_DOMAIN}"


def placeholder_name(pk) -> str:
    """What an erased person is called from then on."""
    return f"Erased person #{pk}"
