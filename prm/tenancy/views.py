"""The members page: who belongs to the tenant, in which role (admins only); inviting, changing and
removing; the invitations waiting for an answer, sent again or withdrawn."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from prm.jobs.services import job_start
from prm.jobs.views import follow_job
from prm.portal.forms import apply_service_errors
from prm.portal.paging import CappedPaginator
from prm.portal.views import PageAction, TenantPageMixin

from . import invitations, services, tasks
from .access import partner_directory
from .capabilities import Capability
from .choices import Role
from .forms import InviteMemberForm, RoleForm
from .models import Invitation, Membership
from .selectors import tenant_members


class MembersView(TenantPageMixin, TemplateView):
    template_name = "tenancy/members.html"
    capability = Capability.MANAGE_MEMBERS
    model = Membership

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = tenant_members(
            tenant=self.tenant, role=self.request.GET.get("role", ""), q=self.request.GET.get("q", "")
        )
        page = CappedPaginator(queryset, 50).get_page(self.request.GET.get("page"))
        members = list(page.object_list)
        link = partner_directory().partner_ids_by_membership(self.tenant, [m.pk for m in members])
        names = partner_directory().partner_names(self.tenant, set(link.values()))
        labels = partner_directory().picker_labels(self.tenant, set(link.values()))
        for member in members:
            partner_id = link.get(member.pk)
            member.partner_name = names.get(partner_id, "")
            member.role_form = RoleForm(
                initial={"role": member.role, "partner": labels.get(partner_id, "")},
                tenant=self.tenant,
                auto_id=f"m{member.pk}_%s",
            )
        context.update(
            members=members,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            form=form or InviteMemberForm(tenant=self.tenant),
            roles=Role.choices,
            invitations=self.pending(),
        )
        return context

    def pending(self) -> list:
        """The latest invitations waiting for an answer, with their partners' names."""
        pending = list(invitations.pending_invitations(tenant=self.tenant)[:50])
        names = partner_directory().partner_names(
            self.tenant, {i.partner_id for i in pending if i.partner_id}
        )
        for invitation in pending:
            invitation.partner_name = names.get(invitation.partner_id, "")
        return pending

    def post(self, request, *args, **kwargs):
        form = InviteMemberForm(request.POST, tenant=self.tenant)
        if form.is_valid():
            data = form.cleaned_data
            try:
                invitation = invitations.invitation_create(
                    tenant=self.tenant,
                    actor=request.user,
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    role=data["role"],
                    partner_id=data["partner"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
                return redirect("tenancy:members", tenant=self.tenant.slug)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class MemberAction(PageAction):
    model = Membership
    capability = Capability.MANAGE_MEMBERS

    def get_membership(self):
        return get_object_or_404(
            Membership.objects.select_related("user", "tenant"), tenant=self.tenant, pk=self.kwargs["pk"]
        )

    def success_url(self):
        return reverse("tenancy:members", kwargs={"tenant": self.tenant.slug})


class MemberChangeView(MemberAction):
    """Change a member's role (and, for a partner user, its partner)."""

    def perform(self, request):
        membership = self.get_membership()
        form = RoleForm(request.POST, tenant=self.tenant)
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        services.member_change_role(
            membership=membership,
            actor=request.user,
            role=form.cleaned_data["role"],
            partner_id=form.cleaned_data["partner"],
        )
        return _("%(u)s's role was changed.") % {"u": membership.user}


class MemberRemoveView(MemberAction):
    def perform(self, request):
        membership = self.get_membership()
        services.member_remove(membership=membership, actor=request.user)
        return _("%(u)s was removed.") % {"u": membership.user}


class InvitationAction(PageAction):
    """Resend or withdraw an invitation of the tenant (any role, partner users' too)."""

    model = Invitation
    capability = Capability.MANAGE_MEMBERS

    def get_invitation(self):
        return get_object_or_404(Invitation.objects.for_tenant(self.tenant), pk=self.kwargs["pk"])

    def success_url(self):
        return reverse("tenancy:members", kwargs={"tenant": self.tenant.slug})


class InvitationResendView(InvitationAction):
    def perform(self, request):
        invitation = invitations.invitation_resend(invitation=self.get_invitation(), actor=request.user)
        return _("Invitation sent again to %(email)s; the previous link no longer works.") % {
            "email": invitation.email
        }


class InvitationRevokeView(InvitationAction):
    def perform(self, request):
        invitation = invitations.invitation_revoke(invitation=self.get_invitation(), actor=request.user)
        return _("The invitation of %(email)s was withdrawn.") % {"email": invitation.email}


class DataSummaryView(TenantPageMixin, View):
    """POST: count the programme's records as a background job, then show its progress."""

    capability = Capability.MANAGE_MEMBERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        job = job_start(
            tenant=self.tenant,
            kind="data_summary",
            task=tasks.data_summary,
            requested_by=request.user,
        )
        return follow_job(request, job)
