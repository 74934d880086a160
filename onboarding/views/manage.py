"""Managers: onboarding progress of signed partners, one partner's onboarding, announcements."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from partners.choices import Stage
from partners.models import Partner, StageChange
from partners.selectors import partner_list
from prm.files import file_response
from prm.portal.forms import apply_service_errors
from prm.portal.responses import PDF, attachment
from prm.portal.views import TenantPageMixin
from prm.tenancy.choices import ALL_ROLES, Role

from ..certificate import render_certificate
from ..defaults import ensure_onboarding_defaults
from ..forms import AgreementForm, AnnouncementForm, CompletionForm, InviteForm
from ..models import Agreement, AgreementTemplate, Announcement, ChecklistStep, Course
from ..services.catalogue import announcement_publish
from ..services.partner_users import partner_user_invite
from ..services.signing import agreement_record, checklist_for, checklist_step_done
from ..services.training import completion_record, training_status

MANAGERS = frozenset({Role.ADMIN, Role.CHANNEL_MANAGER})


def invite_response(view, request, partner):
    """Handle the invite form of a page: an invitation sent, or the page again with the form's errors
    (a refusal of the service comes back as a ValidationError to the caller's handler)."""
    form = InviteForm(request.POST)
    if not form.is_valid():
        return view.render_to_response(view.get_context_data(invite_form=form), status=400)
    partner_user_invite(
        tenant=view.tenant, actor=request.user, access=view.access, partner_id=partner.pk, **form.cleaned_data
    )
    messages.success(request, _("Invitation sent."))
    return None


class OnboardingListView(TenantPageMixin, TemplateView):
    template_name = "onboarding/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partners = list(
            partner_list(tenant=self.tenant).filter(
                stage__in=[Stage.STRATEGIC, Stage.SIGNED, Stage.CERTIFIED]
            )
        )
        steps = ChecklistStep.objects.for_tenant(self.tenant).filter(partner__in=partners)
        progress = {}
        for step in steps:
            total, done = progress.get(step.partner_id, (0, 0))
            progress[step.partner_id] = (total + 1, done + (1 if step.done_at else 0))
        for partner in partners:
            total, done = progress.get(partner.pk, (0, 0))
            partner.progress = round(100 * done / total) if total else None
        context["partners"] = partners
        context["apply_url"] = self.request.build_absolute_uri(
            reverse("apply", kwargs={"slug": self.tenant.slug})
        )
        return context


def course_form(tenant, data=None, initial=None):
    form = CompletionForm(data, initial=initial)
    ensure_onboarding_defaults(tenant)
    form.fields["course"].queryset = Course.objects.for_tenant(tenant)
    return form


class PartnerOnboardingView(TenantPageMixin, TemplateView):
    """One partner: agreement, checklist, training and portal users."""

    template_name = "onboarding/partner.html"
    model = Partner

    def get_partner(self):
        return get_object_or_404(self.scoped(partner_list(tenant=self.tenant)), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner = self.get_partner()
        ensure_onboarding_defaults(self.tenant)
        agreement_form = AgreementForm()
        agreement_form.fields["template"].queryset = AgreementTemplate.objects.for_tenant(self.tenant).filter(
            active=True
        )
        context.setdefault("agreement_form", agreement_form)
        context.setdefault("completion_form", course_form(self.tenant))
        context.setdefault("invite_form", InviteForm())
        context.update(
            partner=partner, agreements=list(Agreement.objects.for_tenant(self.tenant).filter(partner=partner)),
            steps=checklist_for(partner) if partner.stage in (Stage.SIGNED, Stage.CERTIFIED) else [],
            training=training_status(partner), can_edit=self.access.role in MANAGERS,
        )  # fmt: skip
        return context

    def post(self, request, *args, **kwargs):
        partner = self.get_partner()
        action = request.POST.get("form")
        if self.access.role not in MANAGERS:
            messages.error(request, _("Your role may not change onboarding."))
            return redirect("onboarding:partner", tenant=self.tenant.slug, pk=partner.pk)
        try:
            if action == "step":
                step = get_object_or_404(
                    ChecklistStep.objects.for_tenant(self.tenant),
                    pk=request.POST.get("step"),
                    partner=partner,
                )
                checklist_step_done(step=step, actor=request.user, done=request.POST.get("done") == "1")
            elif action == "agreement":
                form = AgreementForm(request.POST, request.FILES)
                form.fields["template"].queryset = AgreementTemplate.objects.for_tenant(self.tenant)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(agreement_form=form), status=400)
                try:
                    agreement_record(partner=partner, actor=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                    return self.render_to_response(self.get_context_data(agreement_form=form), status=400)
                messages.success(request, _("Agreement recorded. The partner can be moved to signed."))
            elif action == "completion":
                form = course_form(self.tenant, request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(completion_form=form), status=400)
                completion_record(partner=partner, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Completion recorded."))
            elif action == "invite":
                invalid = invite_response(self, request, partner)
                if invalid:
                    return invalid
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("onboarding:partner", tenant=self.tenant.slug, pk=partner.pk)


class CertificateView(TenantPageMixin, View):
    """The certificate PDF of a certified partner (partners: their own)."""

    roles = ALL_ROLES
    partner_scope = "id"
    model = Partner
    #: a partner that is not certified has no certificate (the isolation walker knows)
    empty_is_404 = True

    def get(self, request, *args, **kwargs):
        partner = get_object_or_404(self.scoped(partner_list(tenant=self.tenant)), pk=kwargs["pk"])
        return certificate_response(partner)


def certificate_response(partner):
    """The certificate PDF download of a certified partner (pages and API alike); 404 otherwise."""
    if partner.stage != Stage.CERTIFIED:
        raise Http404(_("This partner is not certified."))
    moved = (
        StageChange.objects.for_tenant(partner.tenant_id)
        .filter(partner=partner, to_stage=Stage.CERTIFIED)
        .order_by("-changed_at")
        .first()
    )
    certified_on = moved.changed_at.date() if moved else partner.stage_entered_at.date()
    pdf = render_certificate(partner, certified_on, training_status(partner)["done"])
    return attachment(pdf, PDF, f"certificate-{partner.pk}.pdf")


class AnnouncementsView(TenantPageMixin, TemplateView):
    template_name = "onboarding/announcements.html"
    roles = ALL_ROLES
    partner_scope = "partner"  # announcements are for everyone; nothing partner-specific is shown

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AnnouncementForm())
        context.update(
            items=list(Announcement.objects.for_tenant(self.tenant)[:50]),
            can_publish=self.access.role in MANAGERS,
        )
        return context

    def post(self, request, *args, **kwargs):
        if self.access.role not in MANAGERS:
            messages.error(request, _("Your role may not publish announcements."))
            return redirect("onboarding:announcements", tenant=self.tenant.slug)
        form = AnnouncementForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        announcement_publish(tenant=self.tenant, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Published."))
        return redirect("onboarding:announcements", tenant=self.tenant.slug)


class AgreementDocumentView(TenantPageMixin, View):
    """The signed agreement's PDF, for whoever may see the agreement (its partner's users too)."""

    model = Agreement
    roles = ALL_ROLES
    partner_scope = "partner"

    def get(self, request, *args, **kwargs):
        agreement = get_object_or_404(self.scoped(Agreement.objects.for_tenant(self.tenant)), pk=kwargs["pk"])
        return agreement_document_response(agreement)


def agreement_document_response(agreement):
    """Shared by the page and ``agreements/{id}/document/``."""
    name = agreement.document.name
    return file_response(name, agreement.document_name or f"agreement-{agreement.pk}.pdf")
