"""The contests pages: the list (staff: every contest; a partner: its contests with its standing), a
contest with its leaderboard, the contest form (with its prizes) and closing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from prm.portal.forms import apply_service_errors
from prm.portal.views import PageAction, TenantPageMixin
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability
from rewards.preferences.choices import RewardKind

from .. import selectors, services, standings
from ..forms import ContestForm, PrizeFormSet, prize_initial, prize_rows
from ..models import Contest

PAGE = 50


class ContestPage(TenantPageMixin):
    """A contests page: staff reach every contest, a partner user only those it takes part in."""

    capability = Capability.READ
    partner_scope = SHARED_WITH_PARTNERS
    model = Contest

    def contests(self):
        return selectors.visible_contests(tenant=self.tenant, access=self.access)

    def contest(self):
        return get_object_or_404(self.contests(), pk=self.kwargs["pk"])


class ContestListView(ContestPage, TemplateView):
    template_name = "contests/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contests = list(self.contests())
        if self.access.is_partner:
            preferred = selectors.preferences_of(tenant=self.tenant, partner_id=self.access.partner_id)
            contests = selectors.for_you_first(contests, preferred)
            for contest in contests:
                contest.mine = standings.standing_of(contest, self.access.partner_id)
        context["contests"] = contests
        return context


class ContestDetailView(ContestPage, TemplateView):
    template_name = "contests/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contest = self.contest()
        try:
            page = max(1, int(self.request.GET.get("page", 1)))
        except ValueError:
            page = 1
        viewer = self.access.partner_id if self.access.is_partner else None
        rows = standings.leaderboard(contest, limit=PAGE, offset=(page - 1) * PAGE)
        count = standings.ranked_count(contest)
        board = [self._row(row, contest, viewer) for row in rows]
        awards = selectors.awards_of(tenant=self.tenant, contest=contest)
        if viewer is not None:
            awards = awards.filter(partner_id=viewer)
            context["own"] = standings.own_standing(contest, viewer)
        if viewer is not None:
            preferred = selectors.preferences_of(tenant=self.tenant, partner_id=viewer)
            context["for_you"] = bool(set(preferred) & set(contest.for_preferences or []))
        context.update(
            contest=contest,
            preference_labels=[
                RewardKind(k).label for k in contest.for_preferences or [] if k in RewardKind.values
            ],
            board=board,
            count=count,
            page=page,
            previous_page=page - 1 if page > 1 else None,
            next_page=page + 1 if page * PAGE < count else None,
            awards=list(awards),
        )
        return context

    @staticmethod
    def _row(row, contest, viewer):
        own = viewer is not None and row.partner_id == viewer
        named = viewer is None or own or contest.show_names
        return {
            "rank": row.rank,
            "name": row.name if named else _("Partner #%(rank)d") % {"rank": row.rank},
            "partner_id": row.partner_id if viewer is None else None,
            "value": row.value,
            "progress": row.progress,
            "own": own,
        }


class ContestFormView(ContestPage, TemplateView):
    """Create a contest (no ``pk``) or change one not closed yet, with its prizes."""

    template_name = "contests/form.html"
    capability = Capability.RUN_CONTESTS
    partner_scope = None
    http_method_names = ["get", "post", "head", "options"]

    def existing(self):
        if "pk" not in self.kwargs:
            return None
        contest = self.contest()
        if contest.closed_at:
            raise Http404
        return contest

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contest = self.existing()
        context.setdefault(
            "form",
            ContestForm(tenant=self.tenant, initial=ContestForm.initial_of(contest) if contest else None),
        )
        context.setdefault(
            "prizes",
            PrizeFormSet(
                initial=prize_initial(contest), prefix="prizes", form_kwargs={"tenant": self.tenant}
            ),
        )
        context["contest"] = contest
        return context

    def post(self, request, *args, **kwargs):
        contest = self.existing()
        form = ContestForm(request.POST, tenant=self.tenant)
        prizes = PrizeFormSet(request.POST, prefix="prizes", form_kwargs={"tenant": self.tenant})
        if form.is_valid() and prizes.is_valid():
            try:
                saved = services.contest_save(
                    tenant=self.tenant,
                    actor=request.user,
                    contest=contest,
                    prizes=prize_rows(prizes),
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Contest saved."))
                return redirect("contests:detail", tenant=self.tenant.slug, pk=saved.pk)
        response = self.render_to_response(self.get_context_data(form=form, prizes=prizes))
        response.status_code = 400
        return response


class ContestCloseView(PageAction):
    """Close an ended contest and award its prizes."""

    capability = Capability.RUN_CONTESTS
    model = Contest

    def success_url(self):
        return reverse("contests:detail", kwargs={"tenant": self.tenant.slug, "pk": self.kwargs["pk"]})

    def perform(self, request):
        contest = get_object_or_404(selectors.contest_list(tenant=self.tenant), pk=self.kwargs["pk"])
        awards = services.contest_close(contest=contest, actor=request.user)
        return _("Contest closed: %(n)d prizes awarded.") % {"n": len(awards)}
