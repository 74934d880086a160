"""The tenant admin's form for an identity provider (the page; the API takes the same fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from prm.tenancy.access import partner_directory

from .models import IdentityProvider


def mapping_lines(mapping: dict) -> str:
    return "\n".join(f"{group} = {role}" for group, role in (mapping or {}).items())


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    protocol = forms.ChoiceField(label=_("Protocol"), choices=IdentityProvider.Protocol.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    email_domains = forms.CharField(
        label=_("E-mail domains"), help_text=_("Separated by commas, e.g. example.com, example.org")
    )
    discovery_url = forms.URLField(
        label=_("Discovery URL (OIDC)"),
        required=False,
        assume_scheme="https",
        help_text=_("…/.well-known/openid-configuration"),
    )
    client_id = forms.CharField(label=_("Client ID (OIDC)"), max_length=255, required=False)
    client_secret = forms.CharField(
        label=_("Client secret (OIDC)"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Never shown again; leave empty to keep the one saved."),
    )
    scopes = forms.CharField(label=_("Scopes (OIDC)"), max_length=200, initial="openid email profile")
    metadata_url = forms.URLField(
        label=_("Metadata URL (SAML)"), required=False, assume_scheme="https", max_length=500
    )
    metadata_xml = forms.CharField(label=_("Metadata XML (SAML)"), required=False, widget=forms.Textarea)
    entity_id = forms.CharField(label=_("Entity ID (SAML)"), max_length=500, required=False)
    groups_claim = forms.CharField(label=_("Groups claim or attribute"), max_length=100, initial="groups")
    role_mapping = forms.CharField(
        label=_("Groups to roles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: group = role (admin, channel_manager, regional_lead, finance; "
            "partner for a partner's own provider)."
        ),
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"] = partner_directory().picker_field(
            tenant,
            required=False,
            label=_("Partner (a partner's own provider)"),
        )

    def clean_role_mapping(self):
        mapping = {}
        for number, line in enumerate(self.cleaned_data["role_mapping"].splitlines(), start=1):
            if not line.strip():
                continue
            group, equals, role = line.partition("=")
            if not equals or not group.strip() or not role.strip():
                raise forms.ValidationError(_("Line %(n)s: write group = role.") % {"n": number})
            mapping[group.strip()] = role.strip()
        return mapping

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        partner = data.pop("partner", None)
        data["partner_id"] = partner.pk if partner is not None else None
        return data

    @classmethod
    def initial_for(cls, provider: IdentityProvider) -> dict:
        return {
            **{
                f: getattr(provider, f)
                for f in (
                    "name",
                    "protocol",
                    "is_active",
                    "discovery_url",
                    "client_id",
                    "scopes",
                    "metadata_url",
                    "metadata_xml",
                    "entity_id",
                    "groups_claim",
                )
            },
            "email_domains": ", ".join(provider.email_domains),
            "role_mapping": mapping_lines(provider.role_mapping),
            "partner": provider.partner_id,
        }
