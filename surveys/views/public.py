"""The public answer page, ``/survey/<token>/``: no account, no JavaScript, one use.

A token that is not ours (tampered, cut short) or names no invitation is 404; a link already used
or past its date is 410 with a plain page saying so. The page is a plain form (radio buttons 0–10
and a comment) that works on a phone; the customer's page is in the customer's language.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.views import View

from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant

from ..forms import PartnerAnswerForm, ScoreForm
from ..models import CustomerSurvey, PartnerSurveyInvitation
from ..services.customer import SurveyClosed, customer_survey_answer, survey_state
from ..services.partner import invitation_state, partner_survey_answer
from ..tokens import CUSTOMER, read_token


def _invitation(token):
    """``(kind, tenant, invitation)`` of a valid token, else 404."""
    parts = read_token(token)
    if parts is None:
        raise Http404
    kind, tenant_id, pk, nonce = parts
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None:
        raise Http404
    with tenant_context(tenant):
        if kind == CUSTOMER:
            invitation = (
                CustomerSurvey.objects.for_tenant(tenant)
                .select_related("partner")
                .filter(pk=pk, nonce=nonce)
                .first()
            )
        else:
            invitation = (
                PartnerSurveyInvitation.objects.for_tenant(tenant)
                .select_related("survey")
                .filter(pk=pk, nonce=nonce)
                .first()
            )
    if invitation is None:
        raise Http404
    return kind, tenant, invitation


class SurveyAnswerView(View):
    """GET the question, POST the answer (400 with the reasons when invalid)."""

    http_method_names = ["get", "post", "head", "options"]

    def dispatch(self, request, token):
        kind, tenant, invitation = _invitation(token)
        language = (invitation.language if kind == CUSTOMER else "") or tenant.default_language
        with tenant_context(tenant), translation.override(language):
            self.kind, self.tenant, self.invitation = kind, tenant, invitation
            response = super().dispatch(request)
            if hasattr(response, "render"):
                response.render()
            return response

    def _state(self):
        if self.kind == CUSTOMER:
            return survey_state(self.invitation)
        return invitation_state(self.invitation)

    def _form(self, data=None):
        if self.kind == CUSTOMER:
            return ScoreForm(data)
        return PartnerAnswerForm(data, survey=self.invitation.survey)

    def _page(self, request, form=None, status=200, state=None):
        context = {
            "brand": self.tenant,
            "kind": self.kind,
            "invitation": self.invitation,
            "form": form,
            "state": state,
        }
        if state:
            return render(request, "surveys/public_closed.html", context, status=410)
        return render(request, "surveys/public_answer.html", context, status=status)

    def get(self, request):
        return self._page(request, form=self._form(), state=self._state())

    def post(self, request):
        if state := self._state():
            return self._page(request, state=state)
        form = self._form(request.POST)
        if not form.is_valid():
            return self._page(request, form=form, status=400)
        data = form.cleaned_data
        try:
            if self.kind == CUSTOMER:
                customer_survey_answer(survey=self.invitation, score=data["score"], comment=data["comment"])
            else:
                partner_survey_answer(
                    invitation=self.invitation,
                    score=data["score"],
                    answers=form.answers(),
                    comment=data["comment"],
                )
        except SurveyClosed as exc:
            return self._page(request, state=str(exc))
        return render(
            request,
            "surveys/public_thanks.html",
            {"brand": self.tenant, "kind": self.kind, "invitation": self.invitation},
        )
