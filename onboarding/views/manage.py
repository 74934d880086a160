"""Managers: onboarding progress of signed partners, one partner's onboarding, announcements."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from partners.choices import Stage
from partners.models import Partner, StageChange
from partners.selectors import partner_list
from partners.views.common import PartnerObjectMixin
from prm.files import file_response
from prm.portal.paging import CappedPaginator
from prm.portal.responses import PDF, attachment
from prm.portal.views import PageAction, PageFormAction, TenantPageMixin
from prm.tenancy.capabilities import Capability
from prm.tenancy.choices import Role
from prm.tenancy.invitations import invitation_resend, invitation_revoke, pending_invitations
from prm.tenancy.models import Invitation

from .. import selectors
from ..certificate import render_certificate
from ..forms import AgreementForm, AnnouncementForm, CompletionForm, InviteForm
from ..models import Agreement, ChecklistStep
from ..services.catalogue import announcement_publish
from ..services.partner_users import check_may_invite, partner_user_invite
from ..services.signing import agreement_record, checklist_start, checklist_step_done
from ..services.training import completion_record, training_status


class OnboardingListView(TenantPageMixin, TemplateView):
    template_name = "onboarding/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stages = [Stage.STRATEGIC, Stage.SIGNED, Stage.CERTIFIED]
        chosen = self.request.GET.get("stage")
        partners = partner_list(tenant=self.tenant).filter(stage__in=[chosen] if chosen in stages else stages)
        if query := self.request.GET.get("q", "").strip():
            partners = partners.filter(name__icontains=query)
        page = CappedPaginator(partners.order_by("name", "pk"), 50).get_page(self.request.GET.get("page"))
        progress = selectors.checklist_progress(tenant=self.tenant, partner_ids=[p.pk for p in page])
        for partner in page:
            partner.progress = progress.get(partner.pk)
        context.update(
            partners=page,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            stages=[(s, Stage(s).label) for s in stages],
        )
        context["apply_url"] = self.request.build_absolute_uri(
            reverse("apply", kwargs={"slug": self.tenant.slug})
        )
        return context


def course_form(tenant, data=None, initial=None):
    form = CompletionForm(data, initial=initial)
    form.fields["course"].queryset = selectors.course_list(tenant=tenant)
    return form


def agreement_form(tenant, data=None, files=None):
    form = AgreementForm(data, files)
    form.fields["template"].queryset = selectors.agreement_templates(tenant=tenant, active_only=True)
    return form


class PartnerOnboardingView(TenantPageMixin, TemplateView):
    """One partner: agreement, checklist, training and portal users; each form posts to its action."""

    template_name = "onboarding/partner.html"
    model = Partner

    def get_partner(self):
        if not hasattr(self, "_partner"):
            self._partner = get_object_or_404(
                self.scoped(partner_list(tenant=self.tenant)), pk=self.kwargs["pk"]
            )
        return self._partner

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner = self.get_partner()
        context.setdefault("agreement_form", agreement_form(self.tenant))
        context.setdefault("completion_form", course_form(self.tenant))
        context.setdefault("invite_form", InviteForm())
        context.update(
            partner=partner,
            agreements=list(selectors.agreement_list(tenant=self.tenant).filter(partner=partner)),
            steps=selectors.checklist_of(partner),
            can_start_checklist=partner.stage in (Stage.SIGNED, Stage.CERTIFIED),
            training=training_status(partner),
            invitations=list(pending_invitations(tenant=self.tenant, partner_id=partner.pk)[:50]),
        )
        return context

    def success_url(self):
        return reverse("onboarding:partner", kwargs={"tenant": self.tenant.slug, "pk": self.get_partner().pk})


class AgreementRecordView(PageFormAction, PartnerOnboardingView):
    capability = Capability.MANAGE_ONBOARDING
    form_name = "agreement_form"

    def build_form(self, data, files):
        return agreement_form(self.tenant, data, files)

    def save(self, form):
        agreement_record(partner=self.get_partner(), actor=self.request.user, **form.cleaned_data)
        return _("Agreement recorded. The partner can be moved to signed.")


class CompletionRecordView(PageFormAction, PartnerOnboardingView):
    capability = Capability.COMPLETE_TRAINING
    form_name = "completion_form"

    def build_form(self, data, files):
        return course_form(self.tenant, data)

    def save(self, form):
        completion_record(partner=self.get_partner(), actor=self.request.user, **form.cleaned_data)
        return _("Completion recorded.")


class PartnerUserInviteView(PageFormAction, PartnerOnboardingView):
    capability = Capability.INVITE_PARTNER_USERS
    form_name = "invite_form"

    def build_form(self, data, files):
        return InviteForm(data)

    def save(self, form):
        return invite(self, self.get_partner(), form)


def invite(view, partner, form) -> str:
    """Invite a portal user of ``partner`` from a page's invite form (the service checks who may)."""
    invitation = partner_user_invite(
        tenant=view.tenant,
        actor=view.request.user,
        access=view.access,
        partner_id=partner.pk,
        **form.cleaned_data,
    )
    return _("Invitation sent to %(email)s.") % {"email": invitation.email}


class PartnerInvitationAction(PageAction):
    """Send again or withdraw an invitation of a partner's user, from the partner's onboarding page
    (managers; a partner admin for its own partner)."""

    model = Invitation
    capability = Capability.INVITE_PARTNER_USERS
    partner_scope = "partner_id"

    def get_invitation(self):
        if not hasattr(self, "_invitation"):
            invitations = Invitation.objects.for_tenant(self.tenant).filter(role=Role.PARTNER)
            self._invitation = get_object_or_404(self.scoped(invitations), pk=self.kwargs["pk"])
        return self._invitation

    def perform(self, request):
        invitation = self.get_invitation()
        check_may_invite(tenant=self.tenant, access=self.access, partner_id=invitation.partner_id)
        return self.act(invitation)

    def success_url(self):
        return reverse(
            "onboarding:partner", kwargs={"tenant": self.tenant.slug, "pk": self.get_invitation().partner_id}
        )


class PartnerInvitationResendView(PartnerInvitationAction):
    def act(self, invitation):
        invitation_resend(invitation=invitation, actor=self.request.user)
        return _("Invitation sent again to %(email)s; the previous link no longer works.") % {
            "email": invitation.email
        }


class PartnerInvitationRevokeView(PartnerInvitationAction):
    def act(self, invitation):
        invitation_revoke(invitation=invitation, actor=self.request.user)
        return _("The invitation of %(email)s was withdrawn.") % {"email": invitation.email}


class ChecklistStartView(PartnerObjectMixin, PageAction):
    """A signed partner from before checklists began gets its checklist (partners get one as they sign)."""

    capability = Capability.MANAGE_ONBOARDING

    def perform(self, request):
        checklist_start(self.get_partner(), actor=request.user)
        return _("Checklist started.")

    def success_url(self):
        return reverse("onboarding:partner", kwargs={"tenant": self.tenant.slug, "pk": self.get_partner().pk})


class ChecklistStepView(PageAction):
    """Tick (``done=1``) or untick a step of a partner's checklist."""

    capability = Capability.MANAGE_ONBOARDING
    model = ChecklistStep

    def get_step(self):
        if not hasattr(self, "_step"):
            self._step = get_object_or_404(
                selectors.checklist_steps(tenant=self.tenant), pk=self.kwargs["pk"]
            )
        return self._step

    def perform(self, request):
        done = request.POST.get("done") == "1"
        step = checklist_step_done(step=self.get_step(), actor=request.user, done=done)
        return (_("Step done: %(s)s.") if done else _("Step open again: %(s)s.")) % {"s": step.title}

    def success_url(self):
        return reverse(
            "onboarding:partner", kwargs={"tenant": self.tenant.slug, "pk": self.get_step().partner_id}
        )


class CertificateView(TenantPageMixin, View):
    """The certificate PDF of a certified partner (partners: their own)."""

    capability = Capability.READ
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
    pdf = render_certificate(
        partner, certified_on, training_status(partner)["done"], language=translation.get_language()
    )
    return attachment(pdf, PDF, f"certificate-{partner.pk}.pdf")


class AnnouncementsView(TenantPageMixin, TemplateView):
    template_name = "onboarding/announcements.html"
    capability = Capability.READ
    post_capability = Capability.MANAGE_ONBOARDING
    partner_scope = "partner"  # announcements are for everyone; nothing partner-specific is shown

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AnnouncementForm())
        context["items"] = list(selectors.announcement_list(tenant=self.tenant)[:50])
        return context

    def post(self, request, *args, **kwargs):
        form = AnnouncementForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        announcement_publish(tenant=self.tenant, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Published."))
        return redirect("onboarding:announcements", tenant=self.tenant.slug)


class AgreementDocumentView(TenantPageMixin, View):
    """The signed agreement's PDF, for whoever may see the agreement (its partner's users too)."""

    model = Agreement
    capability = Capability.READ
    partner_scope = "partner"

    def get(self, request, *args, **kwargs):
        agreement = get_object_or_404(
            self.scoped(selectors.agreement_list(tenant=self.tenant)), pk=kwargs["pk"]
        )
        return agreement_document_response(agreement)


def agreement_document_response(agreement):
    """Shared by the page and ``agreements/{id}/document/``."""
    name = agreement.document.name
    return file_response(name, agreement.document_name or f"agreement-{agreement.pk}.pdf")
