"""A partner user's training page: courses to do, recording a completion, the certificate, colleagues."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from partners.models import Partner, PartnerUser
from prm.portal.views import TenantPageMixin
from prm.tenancy.choices import Role

from ..forms import InviteForm
from ..services.training import completion_record, training_status
from .manage import course_form, invite_response


class TrainingView(TenantPageMixin, TemplateView):
    template_name = "onboarding/training.html"
    roles = frozenset({Role.PARTNER})
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

    def post(self, request, *args, **kwargs):
        partner = self.partner()
        try:
            if request.POST.get("form") == "invite":
                invalid = invite_response(self, request, partner)
                if invalid:
                    return invalid
            else:
                form = course_form(self.tenant, request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(completion_form=form), status=400)
                completion_record(partner=partner, actor=request.user, user=request.user, **form.cleaned_data)
                partner.refresh_from_db()
                if partner.stage == "certified":
                    messages.success(
                        request,
                        _(
                            "All required training is complete: you are certified. Download your certificate below."
                        ),
                    )
                else:
                    messages.success(request, _("Completion recorded."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("onboarding:training", tenant=self.tenant.slug)
