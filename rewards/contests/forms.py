"""The contest form and its prizes (a formset of a few rows; an empty row is no prize)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.choices import OperatingModel, Tier
from rewards.catalogue.models import RewardItem
from rewards.preferences.choices import RewardKind
from scorecards.models import Kpi

from .choices import Measure, PrizeBasis, PrizeKind


def _words(value: str) -> list[str]:
    return [word.strip() for word in (value or "").split(",") if word.strip()]


class ContestForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    period = forms.CharField(
        label=_("Programme period"),
        max_length=7,
        required=False,
        help_text=_(
            "A month like 2026-07 or a quarter like 2026-Q3: the contest takes its dates. Needed to measure scorecards."
        ),
    )
    starts_on = forms.DateField(
        label=_("Starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices, initial=Measure.GROWTH)
    kpi = forms.ModelChoiceField(label=_("KPI"), queryset=Kpi._base_manager.none(), required=False)
    tiers = forms.MultipleChoiceField(
        label=_("Tiers (none: any)"),
        choices=Tier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.CharField(label=_("Regions (comma-separated; empty: any)"), required=False)
    operating_models = forms.MultipleChoiceField(
        label=_("Operating models (none: any)"),
        choices=OperatingModel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    show_names = forms.BooleanField(
        label=_("Partners see each other's names on the leaderboard"), required=False
    )
    for_preferences = forms.MultipleChoiceField(
        label=_("For partners who prefer"),
        choices=RewardKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    preferred_only = forms.BooleanField(label=_("Only for partners who prefer these"), required=False)
    auto_close_days = forms.IntegerField(
        label=_("Close by itself after (days)"),
        min_value=0,
        max_value=365,
        required=False,
        initial=14,
        help_text=_("Days after its end when the daily job closes it and awards the prizes; empty: by hand."),
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].queryset = Kpi.objects.for_tenant(tenant).filter(active=True)

    def clean_regions(self):
        return _words(self.cleaned_data["regions"])

    @staticmethod
    def initial_of(contest) -> dict:
        return {
            "name": contest.name,
            "description": contest.description,
            "period": contest.period,
            "starts_on": contest.starts_on,
            "ends_on": contest.ends_on,
            "measure": contest.measure,
            "kpi": contest.kpi_id,
            "tiers": contest.tiers,
            "regions": ", ".join(contest.regions),
            "operating_models": contest.operating_models,
            "show_names": contest.show_names,
            "for_preferences": contest.for_preferences,
            "preferred_only": contest.preferred_only,
            "auto_close_days": contest.auto_close_days,
        }


class PrizeForm(forms.Form):
    label = forms.CharField(label=_("Prize"), max_length=200, required=False)
    basis = forms.ChoiceField(label=_("Won by"), choices=PrizeBasis.choices, initial=PrizeBasis.RANK)
    rank_from = forms.IntegerField(label=_("From rank"), min_value=1, required=False)
    rank_to = forms.IntegerField(label=_("To rank"), min_value=1, required=False)
    threshold = forms.DecimalField(
        label=_("Threshold"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("A KPI: percent of its target (120 = 120 %); the score or growth: the value itself."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=PrizeKind.choices, initial=PrizeKind.POINTS)
    points = forms.IntegerField(label=_("Points"), min_value=1, required=False)
    amount = forms.DecimalField(
        label=_("Amount"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    item = forms.ModelChoiceField(
        label=_("Reward"),
        queryset=RewardItem._base_manager.none(),
        required=False,
        help_text=_("For a reward of the catalogue: an active one, given at no cost in points."),
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = RewardItem.objects.for_tenant(tenant).filter(active=True)


PrizeFormSet = forms.formset_factory(PrizeForm, extra=0, max_num=20, absolute_max=20)


def prize_rows(formset) -> list[dict]:
    """The formset's prizes, rows without a name left out."""
    return [form.cleaned_data for form in formset.forms if form.cleaned_data.get("label")]


def prize_initial(contest, extra: int = 3) -> list[dict]:
    """The contest's prizes as the formset's rows, and ``extra`` empty ones."""
    rows = []
    if contest is not None:
        rows = [
            {
                name: getattr(prize, name)
                for name in (
                    "label",
                    "basis",
                    "rank_from",
                    "rank_to",
                    "threshold",
                    "kind",
                    "points",
                    "amount",
                )
            }
            | {"item": prize.item_id}
            for prize in contest.prizes.all()
        ]
    return rows + [{"basis": PrizeBasis.RANK, "kind": PrizeKind.POINTS} for _ in range(extra)]
