"""The approval queue: what waits for the member's decision, each kind oldest first with its count."""

from django.views.generic import TemplateView

from partners.approvals import waiting_for
from prm.portal.views import TenantPageMixin
from prm.tenancy.capabilities import Capability


class ApprovalQueueView(TenantPageMixin, TemplateView):
    """The queues the member's role decides (``partners.approvals``), each with its count and its
    oldest items; a signing request is approved right here."""

    template_name = "partners/approvals.html"
    capability = Capability.APPROVAL_QUEUE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = waiting_for(tenant=self.tenant, role=self.access.role)
        return context
