"""The tenant admin's single sign-on pages (t/<tenant>/sso/): list, add, edit, switch off, test."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from prm.portal.forms import apply_service_errors
from prm.portal.views import TenantPageMixin
from prm.tenancy.capabilities import Capability

from . import services
from .forms import ProviderForm
from .models import IdentityProvider
from .oidc import DiscoveryError, discovery
from .views import public_urls


class ProviderListView(TenantPageMixin, TemplateView):
    template_name = "sso/list.html"
    capability = Capability.MANAGE_SSO

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ProviderForm(tenant=self.tenant))
        providers = list(IdentityProvider.objects.for_tenant(self.tenant))
        context["providers"] = [(p, public_urls(p, self.request)) for p in providers]
        return context

    def post(self, request, *args, **kwargs):
        form = ProviderForm(request.POST, tenant=self.tenant)
        if form.is_valid():
            try:
                provider = services.provider_create(
                    tenant=self.tenant, actor=request.user, **form.service_fields()
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Identity provider added."))
                return redirect("sso_admin:detail", tenant=self.tenant.slug, pk=provider.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ProviderDetailView(TenantPageMixin, TemplateView):
    template_name = "sso/detail.html"
    capability = Capability.MANAGE_SSO
    model = IdentityProvider

    def get_provider(self):
        return get_object_or_404(IdentityProvider.objects.for_tenant(self.tenant), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        provider = kwargs.get("provider") or self.get_provider()
        context.setdefault(
            "form", ProviderForm(initial=ProviderForm.initial_for(provider), tenant=self.tenant)
        )
        context.update(provider=provider, urls=public_urls(provider, self.request))
        return context

    def post(self, request, *args, **kwargs):
        provider = self.get_provider()
        form = ProviderForm(request.POST, tenant=self.tenant)
        if form.is_valid():
            try:
                services.provider_update(provider=provider, actor=request.user, **form.service_fields())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("sso_admin:detail", tenant=self.tenant.slug, pk=provider.pk)
        provider.refresh_from_db()
        return self.render_to_response(self.get_context_data(form=form, provider=provider), status=400)


class ProviderActionView(TenantPageMixin, View):
    """POST: switch a provider on or off, or (OIDC) test that its discovery document can be read."""

    capability = Capability.MANAGE_SSO
    model = IdentityProvider
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        provider = get_object_or_404(IdentityProvider.objects.for_tenant(self.tenant), pk=kwargs["pk"])
        status = 200
        if kwargs["action"] == "toggle":
            try:
                services.provider_update(
                    provider=provider, actor=request.user, is_active=not provider.is_active
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
                status = 400
            else:
                messages.success(request, _("Saved."))
        elif provider.protocol != IdentityProvider.Protocol.OIDC:
            messages.error(request, _("Only OpenID Connect providers can be tested here."))
            status = 400
        else:
            try:
                config = discovery(provider, fresh=True)
            except DiscoveryError as exc:
                messages.error(request, _("The discovery document could not be read: %(e)s") % {"e": exc})
            else:
                messages.success(request, _("Connected: the issuer is %(i)s.") % {"i": config["issuer"]})
        if status != 200:
            view = ProviderDetailView(request=request, kwargs={**kwargs}, args=args)
            view.tenant, view.access = self.tenant, self.access
            return view.render_to_response(view.get_context_data(provider=provider), status=status)
        return redirect("sso_admin:detail", tenant=self.tenant.slug, pk=provider.pk)
