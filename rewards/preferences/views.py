"""The partner's page of reward preferences: its admin states them, its other users read them."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from partners.models import Partner
from prm.portal.views import PageFormAction, TenantPageMixin
from prm.tenancy.capabilities import Capability

from .choices import RewardKind
from .forms import PreferenceForm
from .selectors import preference_of
from .services import is_partner_admin, preferences_state


class PreferencesView(PageFormAction, TenantPageMixin, TemplateView):
    """``rewards/preferences/``: what kind of reward the partner prefers. The partner admin changes
    them (POST); its colleagues see them read-only; staff read them on the partner page."""

    template_name = "preferences/preferences.html"
    capability = Capability.PARTNER_HOME
    post_capability = Capability.STATE_REWARD_PREFERENCES
    partner_scope = "partner"
    http_method_names = ["get", "post"]

    def partner(self):
        return get_object_or_404(Partner.objects.for_tenant(self.tenant), pk=self.access.partner_id)

    def build_form(self, data, files):
        return PreferenceForm(data)

    def save(self, form):
        preferences_state(
            tenant=self.tenant, access=self.access, actor=self.request.user, kinds=form.cleaned_data["kinds"]
        )
        return _("Your reward preferences are saved.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner = self.partner()
        preference = preference_of(partner)
        kinds = preference.kinds if preference else []
        labels = dict(RewardKind.choices)
        context.setdefault("form", PreferenceForm(kinds=kinds))
        context.update(
            partner=partner,
            preference=preference,
            kinds=[labels.get(k, k) for k in kinds],
            stated_by=_person(preference.changed_by) if preference else "",
            is_partner_admin=is_partner_admin(tenant=self.tenant, access=self.access),
        )
        return context


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else "—"
