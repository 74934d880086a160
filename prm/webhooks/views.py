"""The webhooks pages (admins): endpoints, their deliveries, ping and redeliver."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from prm.portal.forms import apply_service_errors
from prm.portal.paging import CappedPaginator
from prm.portal.views import TenantPageMixin, refused
from prm.tenancy.capabilities import Capability

from . import services
from .catalogue import EVENTS
from .forms import EndpointForm
from .models import Delivery, Endpoint


class EndpointListView(TenantPageMixin, TemplateView):
    template_name = "webhooks/list.html"
    capability = Capability.MANAGE_WEBHOOKS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", EndpointForm(initial={"active": True, "events": ["*"]}))
        context.update(endpoints=list(Endpoint.objects.for_tenant(self.tenant)), events=EVENTS)
        return context

    def post(self, request, *args, **kwargs):
        form = EndpointForm(request.POST)
        if form.is_valid():
            try:
                endpoint = services.endpoint_create(
                    tenant=self.tenant, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:  # the secret is shown this once
                messages.success(request, _("Endpoint added."))
                return self.render_to_response(self.get_context_data(new_endpoint=endpoint))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class EndpointDetailView(TenantPageMixin, TemplateView):
    template_name = "webhooks/detail.html"
    capability = Capability.MANAGE_WEBHOOKS
    model = Endpoint

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        endpoint = get_object_or_404(Endpoint.objects.for_tenant(self.tenant), pk=self.kwargs["pk"])
        deliveries = (
            Delivery.objects.for_tenant(self.tenant).filter(endpoint=endpoint).select_related("event")
        )
        page = CappedPaginator(deliveries.order_by("-id"), 50).get_page(self.request.GET.get("page"))
        context.update(
            endpoint=endpoint, page_obj=page, deliveries=page.object_list, is_paginated=page.has_other_pages()
        )
        return context


class EndpointActionView(TenantPageMixin, View):
    """POST ping, switch on or off, or redeliver one delivery; back to the endpoint's page."""

    capability = Capability.MANAGE_WEBHOOKS
    model = Endpoint
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        endpoint = get_object_or_404(Endpoint.objects.for_tenant(self.tenant), pk=kwargs["pk"])
        action = kwargs["action"]
        try:
            if action == "ping":
                delivery = services.ping(endpoint=endpoint)
                messages.info(
                    request, _("Ping sent: %(s)s.") % {"s": delivery.status_code or delivery.response[:120]}
                )
            elif action == "toggle":
                services.endpoint_update(endpoint=endpoint, actor=request.user, active=not endpoint.active)
                messages.success(request, _("Saved."))
            elif action == "redeliver":
                delivery = get_object_or_404(
                    Delivery.objects.for_tenant(self.tenant).filter(endpoint=endpoint),
                    pk=request.POST.get("delivery"),
                )
                services.redeliver(delivery=delivery)
                messages.info(request, _("Sent again."))
        except ValidationError as exc:
            return refused(
                request,
                exc,
                reverse("webhooks:detail", kwargs={"tenant": self.tenant.slug, "pk": endpoint.pk}),
            )
        return redirect("webhooks:detail", tenant=self.tenant.slug, pk=endpoint.pk)
