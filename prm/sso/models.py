"""Identity providers a tenant signs its people in with, and who each provider's subjects are here.

An ``IdentityProvider`` is either a staff provider (``partner_id`` empty: its groups map to staff
roles) or a partner's own provider (``partner_id`` set: its mapped groups make partner users of that
partner). The partner is kept as a plain id, checked through the tenancy's partner directory, so the
core never imports the partners app (the same way memberships reach partners).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.scoping import TenantOwned


class IdentityProvider(TenantOwned):
    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    name = models.CharField(_("name"), max_length=100)
    protocol = models.CharField(_("protocol"), max_length=4, choices=Protocol.choices)
    is_active = models.BooleanField(_("active"), default=True)
    #: lower-case domains whose addresses this provider signs in; one domain, one active provider per tenant
    email_domains = models.JSONField(_("e-mail domains"), default=list, blank=True)
    # --- OpenID Connect
    discovery_url = models.URLField(_("discovery URL"), max_length=500, blank=True)
    client_id = models.CharField(_("client ID"), max_length=255, blank=True)
    #: never returned by the API nor shown again after saving
    client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
    scopes = models.CharField(_("scopes"), max_length=200, default="openid email profile")
    # --- SAML 2.0 (the identity provider's side; the service provider is ours, per provider)
    metadata_url = models.URLField(_("metadata URL"), max_length=500, blank=True)
    metadata_xml = models.TextField(_("metadata XML"), blank=True)
    entity_id = models.CharField(_("entity ID"), max_length=500, blank=True)
    # --- who gets which role
    #: the ID token / userinfo claim (OIDC) or the assertion's attribute (SAML) that lists the groups
    groups_claim = models.CharField(_("groups claim"), max_length=100, default="groups")
    #: {"<group>": "<role>"}: staff roles, or "partner" for a partner's own provider
    role_mapping = models.JSONField(_("group to role mapping"), default=dict, blank=True)
    #: a partner's own provider: the partner its users belong to (``partners.Partner`` id)
    partner_id = models.BigIntegerField(_("partner"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self):
        return self.name

    @property
    def is_partner_provider(self) -> bool:
        return self.partner_id is not None

    def serves(self, email: str) -> bool:
        """Whether ``email``'s domain is one of this provider's."""
        domain = email.rpartition("@")[2].strip().lower()
        return bool(domain) and domain in self.email_domains


class ExternalIdentity(TenantOwned):
    """One provider's subject (``sub``, SAML NameID) is one user here, whatever its e-mail becomes."""

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="identities", verbose_name=_("provider")
    )
    subject = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("user"),
    )
    #: the e-mail the provider sent last
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="sso_identity_unique_subject"),
        ]

    def __str__(self):
        return f"{self.provider}: {self.subject}"
