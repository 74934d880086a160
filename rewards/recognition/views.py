"""Award pages: staff grant and revoke awards and keep the categories; a partner user sees its own."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from prm.portal.views import PageAction, PageFormAction, TenantPageMixin
from prm.tenancy.capabilities import Capability

from . import selectors, services
from .defaults import ensure_award_categories
from .forms import AwardForm, CategoryForm, RevokeForm
from .models import Award, AwardCategory
from .people import person_name


class AwardsView(TenantPageMixin, TemplateView):
    """``rewards/awards/``: every award (a partner user: its partner's), the grant form and the
    categories for managers."""

    template_name = "recognition/awards.html"
    capability = Capability.READ
    partner_scope = "partner"
    model = Award

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ensure_award_categories(self.tenant)
        awards = self.scoped(selectors.award_list(tenant=self.tenant))
        context.setdefault("form", AwardForm(tenant=self.tenant))
        context.setdefault("category_form", CategoryForm())
        context.update(
            awards=[{"award": a, "person": person_name(a.person)} for a in awards[:200]],
            categories=selectors.category_list(tenant=self.tenant),
            revoke_form=RevokeForm(),
        )
        return context

    def success_url(self):
        return reverse("recognition:awards", kwargs={"tenant": self.tenant.slug})


class AwardGrantView(PageFormAction, AwardsView):
    """A manager grants an award (POST of the page's form)."""

    post_capability = Capability.GRANT_AWARDS

    def build_form(self, data, files):
        return AwardForm(data, tenant=self.tenant)

    def save(self, form):
        award = services.award_grant(tenant=self.tenant, actor=self.request.user, **form.cleaned_data)
        return _("%(award)s %(period)s granted to %(partner)s and announced.") % {
            "award": award.category.name,
            "period": award.period,
            "partner": award.partner.name,
        }


class CategoryAddView(PageFormAction, AwardsView):
    """A manager adds an award category."""

    post_capability = Capability.GRANT_AWARDS
    form_name = "category_form"

    def build_form(self, data, files):
        return CategoryForm(data)

    def save(self, form):
        category = services.category_save(tenant=self.tenant, actor=self.request.user, **form.cleaned_data)
        return _("Category “%(name)s” added.") % {"name": category.name}


class CategoryToggleView(PageAction):
    """Switch a category off (no new awards of it) or on again."""

    capability = Capability.GRANT_AWARDS
    model = AwardCategory

    def perform(self, request):
        category = get_object_or_404(AwardCategory.objects.for_tenant(self.tenant), pk=self.kwargs["pk"])
        services.category_save(
            tenant=self.tenant, actor=request.user, category=category, active=not category.active
        )
        return (
            _("Category “%(name)s” switched on.")
            if category.active
            else _("Category “%(name)s” switched off.")
        )

    def success_url(self):
        return reverse("recognition:awards", kwargs={"tenant": self.tenant.slug})


class AwardRevokeView(PageAction):
    """Revoke an award, with a reason."""

    capability = Capability.GRANT_AWARDS
    model = Award

    def perform(self, request):
        award = get_object_or_404(Award.objects.for_tenant(self.tenant), pk=self.kwargs["pk"])
        form = RevokeForm(request.POST)
        reason = form.data.get("reason", "") if not form.is_valid() else form.cleaned_data["reason"]
        services.award_revoke(award=award, actor=request.user, reason=reason)
        return _("Award revoked.")

    def success_url(self):
        return reverse("recognition:awards", kwargs={"tenant": self.tenant.slug})
