"""The rule list and editor, and the what-if page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from prm.portal.views import TenantPageMixin
from prm.tenancy.capabilities import Capability

from .. import selectors
from ..forms import PeriodForm, RuleForm
from ..models import IncentiveRule
from ..services import rules, whatif


def show_errors(form, exc: ValidationError) -> None:
    for key, messages_ in (exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}).items():
        form.add_error(form.field_for(key) if key else None, messages_)


class RuleListView(TenantPageMixin, TemplateView):
    template_name = "incentives/rules.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            rules=selectors.in_words(selectors.rule_list(tenant=self.tenant), tenant=self.tenant),
        )
        return context


class RuleEditView(TenantPageMixin, FormView):
    """Create a rule, or edit one (which makes a new version)."""

    template_name = "incentives/rule_form.html"
    form_class = RuleForm
    capability = Capability.EDIT_RULES
    model = IncentiveRule

    def get_rule(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(selectors.rule_list(tenant=self.tenant), pk=self.kwargs["pk"])

    def get_initial(self):
        rule = self.get_rule()
        return RuleForm.initial_for(rule) if rule else {"active": True, "mode": "marginal", "kpi": "revenue"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rule = self.get_rule()
        versions = selectors.in_words(
            selectors.rule_list(tenant=self.tenant, current_only=False).filter(key=rule.key) if rule else [],
            tenant=self.tenant,
        )
        context.update(rule=rule, versions=versions)
        return context

    def form_valid(self, form):
        rule = self.get_rule()
        try:
            if rule:
                saved = rules.rule_edit(rule=rule, actor=self.request.user, **form.rule_fields())
                messages.success(self.request, _("Saved as version %(v)d.") % {"v": saved.version})
            else:
                rules.rule_create(tenant=self.tenant, actor=self.request.user, **form.rule_fields())
                messages.success(self.request, _("Rule created."))
        except ValidationError as exc:
            show_errors(form, exc)
            return self.form_invalid(form)
        return redirect("incentives:rules", tenant=self.tenant.slug)


class WhatIfView(TenantPageMixin, FormView):
    """A changed or new rule against a past period: cost per partner beside what was paid."""

    template_name = "incentives/what_if.html"
    form_class = RuleForm
    capability = Capability.PREVIEW_RULES

    def get_initial(self):
        base = self._base()
        initial = (
            RuleForm.initial_for(base) if base else {"active": True, "kind": "commission", "mode": "marginal"}
        )
        return {**initial, "period": self.request.GET.get("period", "")}

    def _base(self):
        rule_id = self.request.GET.get("rule") or self.request.POST.get("compare_with")
        if rule_id and str(rule_id).isdigit():
            return selectors.rule_list(tenant=self.tenant).filter(pk=rule_id).first()
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("period_form", PeriodForm(initial={"period": self.request.GET.get("period", "")}))
        context.update(rules=list(selectors.rule_list(tenant=self.tenant)), base=self._base())
        return context

    def form_valid(self, form):
        period_form = PeriodForm(self.request.POST)
        if not period_form.is_valid():
            return self.render_to_response(
                self.get_context_data(form=form, period_form=period_form), status=400
            )
        try:
            result = whatif.what_if(
                tenant=self.tenant,
                period=period_form.cleaned_data["period"],
                rule_fields=form.rule_fields(),
                compare_with=self._base(),
            )
        except ValidationError as exc:
            if "period" in getattr(exc, "message_dict", {}):
                period_form.add_error("period", exc.message_dict["period"])
            else:
                show_errors(form, exc)
            return self.render_to_response(
                self.get_context_data(form=form, period_form=period_form), status=400
            )
        return self.render_to_response(
            self.get_context_data(form=form, period_form=period_form, result=result)
        )
