"""A partner user's own survey rounds in the portal (*My surveys*): the rounds it was invited to,
and answering one here rather than through the e-mailed link. The same single use: the portal and
the link write through the same invitation, so whichever comes first counts and the other is
refused. The answer stays anonymous (``surveys.models``).

A round is reached by its id but only through the caller's own invitation: a round it was not
invited to (another partner's people's, or a colleague's alone) is 404, as is another tenant's.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from prm.portal.views import TenantPageMixin
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability

from .. import selectors
from ..forms import PartnerAnswerForm
from ..models import PartnerSurvey
from ..services.customer import SurveyClosed
from ..services.partner import invitation_state, partner_survey_answer

CLOSED = {
    "answered": gettext_lazy("You answered this survey already. Thank you."),
    "expired": gettext_lazy("This survey no longer takes answers."),
}


class MySurveysView(TenantPageMixin, TemplateView):
    """The rounds the partner user was invited to, newest first: open ones to answer, the others
    answered or closed."""

    template_name = "surveys/mine.html"
    capability = Capability.PARTNER_HOME
    # rounds belong to no partner: the caller reaches only those with its own invitation
    partner_scope = SHARED_WITH_PARTNERS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds = list(selectors.invitations_of(tenant=self.tenant, user=self.request.user))
        for survey in rounds:
            survey.state = invitation_state(survey)
        context["rounds"] = rounds
        return context


class MySurveyAnswerView(TenantPageMixin, TemplateView):
    """One round to answer (GET the questions, POST the answer; 400 with the reasons)."""

    template_name = "surveys/mine_answer.html"
    capability = Capability.PARTNER_HOME
    post_capability = Capability.PARTNER_HOME
    partner_scope = SHARED_WITH_PARTNERS
    model = PartnerSurvey
    http_method_names = ["get", "post", "head", "options"]

    def invitation(self):
        found = selectors.invitation_of(
            tenant=self.tenant, user=self.request.user, survey_id=self.kwargs["pk"]
        )
        if found is None:
            raise Http404
        return found

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitation = kwargs.get("invitation") or self.invitation()
        state = invitation_state(invitation)
        context.update(
            invitation=invitation,
            survey=invitation.survey,
            state=state,
            closed=CLOSED.get(state, ""),
            form=kwargs.get("form") or (None if state else PartnerAnswerForm(survey=invitation.survey)),
        )
        return context

    def post(self, request, *args, **kwargs):
        invitation = self.invitation()
        form = PartnerAnswerForm(request.POST, survey=invitation.survey)
        if not invitation_state(invitation) and form.is_valid():
            data = form.cleaned_data
            try:
                partner_survey_answer(
                    invitation=invitation,
                    score=data["score"],
                    answers=form.answers(),
                    comment=data["comment"],
                )
            except SurveyClosed:
                pass
            else:
                messages.success(request, _("Thank you: your answer is recorded, without your name."))
                return redirect("surveys:mine", tenant=self.tenant.slug)
        invitation.refresh_from_db()
        context = self.get_context_data(
            invitation=invitation, form=None if invitation_state(invitation) else form
        )
        return self.render_to_response(context, status=400)
