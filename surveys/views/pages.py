"""The surveys pages: customer surveys (staff: all; a partner user: its own customers'), partner
survey rounds with their results and trend, a new round, and sending it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from prm.portal.forms import apply_service_errors
from prm.portal.views import PageAction, TenantPageMixin
from prm.tenancy.capabilities import Capability

from .. import results, selectors
from ..forms import PartnerSurveyForm
from ..models import PartnerSurvey
from ..programme import survey_programme_for
from ..services.partner import eligible_partners, partner_survey_create, partner_survey_send

PAGE = 100


class CustomerSurveyListView(TenantPageMixin, TemplateView):
    """The customer surveys sent, newest first, with their answers and the NPS they make."""

    template_name = "surveys/customer_list.html"
    capability = Capability.READ
    partner_scope = "partner"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        surveys = selectors.customer_surveys(access=self.access)
        context.update(
            surveys=list(surveys[:PAGE]),
            summary=selectors.customer_summary(surveys),
            programme=survey_programme_for(self.tenant),
            today=timezone.localdate(),
        )
        return context


class PartnerSurveyPage(TenantPageMixin):
    capability = Capability.RUN_SURVEYS
    model = PartnerSurvey

    def survey(self):
        return get_object_or_404(PartnerSurvey.objects.for_tenant(self.tenant), pk=self.kwargs["pk"])


class PartnerSurveyListView(PartnerSurveyPage, TemplateView):
    """The rounds, newest first, and the NPS trend across the sent ones."""

    template_name = "surveys/partner_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            surveys=list(selectors.partner_surveys(tenant=self.tenant)),
            trend=results.trend(self.tenant),
            minimum=survey_programme_for(self.tenant).survey_min_group,
        )
        return context


class PartnerSurveyDetailView(PartnerSurveyPage, TemplateView):
    """A round's results per tier, region and operating model (groups under the minimum hidden)."""

    template_name = "surveys/partner_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        survey = self.survey()
        figures = results.survey_results(survey)
        context.update(
            survey=survey,
            results=figures,
            dimensions=[
                (_("By tier"), figures["by"]["tier"]),
                (_("By region"), figures["by"]["region"]),
                (_("By operating model"), figures["by"]["operating_model"]),
            ],
            invited=survey.invitations.count(),
            answered=survey.invitations.filter(answered_at__isnull=False).count(),
            eligible=None if survey.sent_at else len(eligible_partners(survey)),
        )
        return context


class PartnerSurveyCreateView(PartnerSurveyPage, TemplateView):
    template_name = "surveys/partner_form.html"
    http_method_names = ["get", "post", "head", "options"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", PartnerSurveyForm())
        return context

    def post(self, request, *args, **kwargs):
        form = PartnerSurveyForm(request.POST)
        if form.is_valid():
            try:
                survey = partner_survey_create(tenant=self.tenant, actor=request.user, **form.service_data())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Survey saved. Check who it goes to, then send it."))
                return redirect("surveys:partner-detail", tenant=self.tenant.slug, pk=survey.pk)
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response


class PartnerSurveySendView(PageAction):
    """Send the round to the eligible partners' people (once)."""

    capability = Capability.RUN_SURVEYS
    model = PartnerSurvey

    def success_url(self):
        return reverse("surveys:partner-detail", kwargs={"tenant": self.tenant.slug, "pk": self.kwargs["pk"]})

    def perform(self, request):
        survey = get_object_or_404(PartnerSurvey.objects.for_tenant(self.tenant), pk=self.kwargs["pk"])
        count = partner_survey_send(survey=survey, actor=request.user)
        return _("Survey sent to %(n)d people.") % {"n": count}
