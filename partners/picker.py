"""Choosing a partner in a form by typing its name: a text box with suggestions.

A tenant may have 100 000 partners, so no form lists them all in a ``<select>``. The
field is a text box tied to a ``<datalist>`` that htmx fills from ``partners/picker/?q=``
(20 suggestions, "Name · #id"); without JavaScript one types the name or the id. The
field accepts "Name · #12", "#12", "12" or a name that matches exactly one partner.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from partners.models import Partner
from prm.portal.views import TenantPageMixin

ID = re.compile(r"(?:^|#)\s*(\d+)\s*$")
SUGGESTIONS = 20


def label(partner) -> str:
    return f"{partner.name} · #{partner.pk}"


class PartnerPickerWidget(forms.TextInput):
    def __init__(self, *, url: str = "", attrs=None):
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.url = url

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {})}
        options = f"{attrs.get('id') or name}-options"
        attrs.update(
            {
                "list": options,
                "placeholder": _("Type a name"),
                "hx-get": f"{self.url}?field={name}",
                "hx-trigger": "input changed delay:250ms, focus once",
                "hx-target": f"#{options}",
                "hx-swap": "innerHTML",
            }
        )
        return format_html(
            '{}<datalist id="{}"></datalist>', super().render(name, value, attrs, renderer), options
        )


class PartnerPickerField(forms.ModelChoiceField):
    """A partner of the tenant, chosen by name or id (see the module docstring)."""

    widget = PartnerPickerWidget
    default_error_messages = {
        "invalid_choice": _("Choose a partner from the suggestions (no partner is called “%(value)s”)."),
        "ambiguous": _("Several partners are called “%(value)s”: choose one from the suggestions."),
    }

    def __init__(self, *, tenant, queryset=None, **kwargs):
        kwargs.setdefault("label", _("Partner"))
        queryset = queryset if queryset is not None else Partner.objects.for_tenant(tenant)
        super().__init__(queryset=queryset, **kwargs)
        self.widget.url = reverse("partners:picker", kwargs={"tenant": tenant.slug})

    def prepare_value(self, value):
        if isinstance(value, Partner):
            return label(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            partner = self.queryset.filter(pk=value).only("id", "name").first()
            return label(partner) if partner else value
        return value

    def to_python(self, value):
        value = (value or "").strip()
        if value in self.empty_values:
            return None
        match = ID.search(value)
        if match:
            partner = self.queryset.filter(pk=match.group(1)).first()
            if partner is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
                )
            return partner
        found = list(self.queryset.filter(name__iexact=value)[:2])
        if len(found) > 1:
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params={"value": value})
        if not found:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return found[0]


class PartnerPickerView(TenantPageMixin, View):
    """Suggestions for a partner box: ``<option>`` elements, the closest names first."""

    model = Partner

    def get(self, request, *args, **kwargs):
        query = (request.GET.get(request.GET.get("field") or "q") or "").strip()
        match = ID.search(query)
        partners = Partner.objects.for_tenant(self.tenant).only("id", "name")
        if match:
            partners = partners.filter(pk=match.group(1))
        elif query:
            partners = partners.filter(name__icontains=query)
        partners = partners.order_by("name", "id")[:SUGGESTIONS]
        return render(request, "partners/_picker_options.html", {"options": [label(p) for p in partners]})
