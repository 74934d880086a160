"""The *Sent mail* pages (the tenant's admins): what the programme e-mailed, and one message."""

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from prm.portal.views import TenantPageMixin
from prm.tenancy.capabilities import Capability

from .models import SentEmail
from .registry import categories
from .selectors import sent_email_page


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


class SentMailListView(TenantPageMixin, TemplateView):
    """When, to whom, what and which kind, newest first; ``?after=<id>`` is the next page."""

    template_name = "notifications/sent_list.html"
    capability = Capability.READ_SENT_MAIL

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = self.request.GET.get("kind", "")
        rows, next_after = sent_email_page(
            tenant=self.tenant, kind=kind, after=_int(self.request.GET.get("after"))
        )
        labels = categories()
        for row in rows:
            row.kind_label = labels.get(row.kind, row.kind)
        context.update(emails=rows, next_after=next_after, kind=kind, kinds=labels)
        return context


class SentMailDetailView(TenantPageMixin, TemplateView):
    """One message: its text, and its HTML in a sandboxed frame (no script, no same origin)."""

    template_name = "notifications/sent_detail.html"
    capability = Capability.READ_SENT_MAIL
    model = SentEmail

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        email = get_object_or_404(SentEmail.objects.for_tenant(self.tenant), pk=self.kwargs["pk"])
        email.kind_label = categories().get(email.kind, email.kind)
        context["email"] = email
        return context
