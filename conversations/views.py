"""Portal pages of the channel: a partner's requests, the managers' queue, one request's thread."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from prm.portal.views import PageAction, PageFormAction, TenantPageMixin
from prm.tenancy.capabilities import Capability

from . import selectors
from .downloads import attachment_response
from .forms import QueueFilterForm, RaiseForm, ReplyForm
from .models import PartnerRequest
from .services import may_answer, request_close, request_raise, request_reply


class MyRequestsView(PageFormAction, TenantPageMixin, TemplateView):
    """``requests/``: the partner's history of requests, and a form to raise one (POST)."""

    template_name = "conversations/mine.html"
    capability = Capability.READ
    post_capability = Capability.RAISE_REQUEST
    partner_scope = "partner"
    http_method_names = ["get", "post"]

    def build_form(self, data, files):
        return RaiseForm(data, files)

    def save(self, form):
        data = form.cleaned_data
        self.raised = request_raise(
            tenant=self.tenant,
            access=self.access,
            actor=self.request.user,
            category=data["category"],
            subject=data["subject"],
            text=data["text"],
            attachment=data.get("attachment"),
        )
        return _("Your request is sent to your channel manager.")

    def success_url(self):
        return reverse("conversations:detail", kwargs={"tenant": self.tenant.slug, "pk": self.raised.pk})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = self.scoped(selectors.requests_of(self.tenant))
        context.setdefault("form", RaiseForm())
        context.update(requests=rows[:200], counts=selectors.counts(rows))
        return context


class QueueView(TenantPageMixin, TemplateView):
    """``requests/queue/``: every partner's requests for the vendor's field staff, overdue ones
    first, then the oldest deadline; filters by status, category and overdue."""

    template_name = "conversations/queue.html"
    capability = Capability.ANSWER_REQUESTS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = QueueFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        rows = selectors.queue(
            self.tenant,
            status=filters.get("status", ""),
            category=filters.get("category", ""),
            overdue=filters.get("overdue", False),
        )
        context.update(
            form=form, requests=rows[:200], counts=selectors.counts(selectors.requests_of(self.tenant))
        )
        return context


class _RequestMixin:
    model = PartnerRequest  # the object these routes open (the isolation walk builds one of it)
    partner_scope = "partner"

    def partner_request(self):
        return get_object_or_404(self.scoped(selectors.requests_of(self.tenant)), pk=self.kwargs["pk"])

    def success_url(self):
        return reverse("conversations:detail", kwargs={"tenant": self.tenant.slug, "pk": self.kwargs["pk"]})


class RequestDetailView(_RequestMixin, PageFormAction, TenantPageMixin, TemplateView):
    """``requests/<pk>/``: the request and its thread; whoever may write in it replies (POST)."""

    template_name = "conversations/detail.html"
    capability = Capability.READ
    post_capability = Capability.REPLY_REQUEST
    http_method_names = ["get", "post"]

    def build_form(self, data, files):
        return ReplyForm(data)

    def save(self, form):
        request_reply(
            partner_request=self.partner_request(),
            access=self.access,
            actor=self.request.user,
            text=form.cleaned_data["text"],
        )
        return _("Your message is sent.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner_request = self.partner_request()
        context.setdefault("form", ReplyForm())
        context.update(
            item=partner_request,
            messages_thread=selectors.thread(partner_request),
            may_write=self.access.is_partner or may_answer(partner_request, self.access),
        )
        return context


class RequestCloseView(_RequestMixin, PageAction):
    """Close the request (either side)."""

    capability = Capability.REPLY_REQUEST

    def perform(self, request):
        request_close(partner_request=self.partner_request(), access=self.access, actor=request.user)
        return _("The request is closed.")


class RequestAttachmentView(_RequestMixin, TenantPageMixin, View):
    """The request's attachment, for whoever may see the request (its partner's users too)."""

    capability = Capability.READ

    def get(self, request, *args, **kwargs):
        return attachment_response(self.partner_request())
