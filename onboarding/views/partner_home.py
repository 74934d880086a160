"""A partner user's training page: courses to do, recording a completion, the certificate, colleagues."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from partners.models import Partner, PartnerUser
from prm.portal.views import PageFormAction, TenantPageMixin
from prm.tenancy.capabilities import Capability

from ..forms import InviteForm
from ..services.training import completion_record, training_status
from .manage import course_form, invite


class TrainingView(TenantPageMixin, TemplateView):
    template_name = "onboarding/training.html"
    capability = Capability.PARTNER_HOME
    partner_scope = "partner"

    def partner(self):
        return get_object_or_404(Partner.objects.for_tenant(self.tenant), pk=self.access.partner_id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner = self.partner()
        link = PartnerUser.objects.for_tenant(self.tenant).filter(membership=self.access.membership).first()
        context.setdefault(
            "completion_form",
            course_form(
                self.tenant,
                initial={"person": self.request.user.get_full_name() or self.request.user.username},
            ),
        )
        context.setdefault("invite_form", InviteForm())
        context.update(
            partner=partner,
            training=training_status(partner),
            is_partner_admin=bool(link and link.is_partner_admin),
        )
        return context


class TrainingAction(PageFormAction, TrainingView):
    def success_url(self):
        return reverse("onboarding:training", kwargs={"tenant": self.tenant.slug})


class TrainingCompletionView(TrainingAction):
    """The partner user records a course it completed; the last required one certifies the partner."""

    form_name = "completion_form"

    def build_form(self, data, files):
        return course_form(self.tenant, data)

    def save(self, form):
        partner = self.partner()
        completion_record(
            partner=partner, actor=self.request.user, user=self.request.user, **form.cleaned_data
        )
        partner.refresh_from_db()
        if partner.stage == "certified":
            return _("All required training is complete: you are certified. Download your certificate below.")
        return _("Completion recorded.")


class TrainingInviteView(TrainingAction):
    """A partner admin invites a colleague (the service refuses other partner users)."""

    form_name = "invite_form"

    def build_form(self, data, files):
        return InviteForm(data)

    def save(self, form):
        return invite(self, self.partner(), form)
