"""The personal-data page (the tenant's admin): find a person by e-mail or record, see what is
stored about them, download it as JSON, erase it with a typed confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from prm.portal.forms import apply_service_errors
from prm.portal.views import TenantPageMixin, refused
from prm.tenancy.capabilities import Capability

from .erasure import erase_refusals, personal_data_erase
from .export import personal_data_export
from .forms import EraseForm, PersonForm
from .records import SOURCES, counts, person_found
from .subject import subject_for


def subject_from(tenant, data: dict):
    """The person named by a valid ``PersonForm``'s data (None: nobody named yet)."""
    named = {k: data.get(k) for k in ("email", "contact", "member", "application")}
    if not any(v not in (None, "") for v in named.values()):
        return None
    return subject_for(tenant=tenant, **named)


class PersonalDataView(TenantPageMixin, TemplateView):
    template_name = "privacy/personal_data.html"
    capability = Capability.MANAGE_PERSONAL_DATA

    def get(self, request, *args, **kwargs):
        form = PersonForm(request.GET)
        subject = None
        if form.is_valid():
            try:
                subject = subject_from(self.tenant, form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
        context = self.get_context_data(form=form, subject=subject)
        return self.render_to_response(context, status=400 if form.errors else 200)

    def get_context_data(self, form=None, subject=None, erase_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or PersonForm()
        if subject is not None:
            person = person_found(subject)
            labels = {s.kind: s.label for s in SOURCES}
            found = counts(person)
            context.update(
                subject=subject,
                found=[(labels[kind], n) for kind, n in found.items()],
                query=urlencode(subject.query()),
                refusals=erase_refusals(person, self.request.user),
                erase_form=erase_form or EraseForm(initial=subject.query()),
            )
        return context


class PersonalDataExportView(TenantPageMixin, View):
    """GET: the person's records as a JSON download (audited)."""

    capability = Capability.MANAGE_PERSONAL_DATA
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        form = PersonForm(request.GET)
        page = reverse("privacy:personal-data", kwargs={"tenant": self.tenant.slug})
        try:
            subject = subject_from(self.tenant, form.cleaned_data) if form.is_valid() else None
            if subject is None:
                raise ValidationError(_("Name the person first: an e-mail address or one of their records."))
        except ValidationError as exc:
            return refused(request, exc, page)
        body = personal_data_export(subject=subject, actor=request.user)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="personal-data-{self.tenant.slug}.json"'
        response["Cache-Control"] = "private, no-store"
        return response


class PersonalDataEraseView(PersonalDataView):
    """POST: erase the person, with the typed confirmation; refused with its reasons (400)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = EraseForm(request.POST)
        subject = None
        if form.is_valid():
            try:
                subject = subject_from(self.tenant, form.cleaned_data)
                if subject is None:
                    raise ValidationError({"email": [_("Name the person to erase.")]})
                erased = personal_data_erase(
                    subject=subject, actor=request.user, confirm=form.cleaned_data["confirm"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Erased: %(n)d records were anonymised.") % {"n": sum(erased.values())}
                )
                return redirect("privacy:personal-data", tenant=self.tenant.slug)
        for message in form.non_field_errors():
            messages.error(request, message)
        context = self.get_context_data(form=PersonForm(request.POST), subject=subject, erase_form=form)
        return self.render_to_response(context, status=400)
