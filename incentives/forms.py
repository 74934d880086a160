"""Portal forms of incentives/. The rule form gathers each kind's parameters; the service validates them."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partners.choices import Stage, Tier
from partners.picker import PartnerPickerField
from prm.periods import parse_period

from .choices import RuleKind
from .money import plain
from .rules.params import BONUS_TYPES

LOYALTY = ["loyalty_tier", "loyalty_years", "sustained_growth"]

#: form field -> the kinds it belongs to (shown together on the page)
KIND_FIELDS = {
    "rate": ["commission", "rebate", "sustained_growth"],
    "rate_benefit": ["commission"],
    "brackets": ["commission"],
    "mode": ["commission"],
    "multiplier_A": ["commission"],
    "multiplier_B": ["commission"],
    "multiplier_C": ["commission"],
    "multiplier_D": ["commission"],
    "cap": ["commission"],
    "threshold": ["rebate", "bonus"],
    "product": ["spif"],
    "amount_per_unit": ["spif"],
    "bonus_type": ["bonus"],
    "amount": ["bonus", *LOYALTY],
    "kpi": ["bonus"],
    "customer": ["bonus"],
    "budget": ["mdf"],
    "budget_share": ["mdf"],
    "budget_share_benefit": ["mdf"],
    "per_amount": ["points"],
    "points": ["points", *LOYALTY],
    "loyalty_tier": ["loyalty_tier"],
    "periods": ["loyalty_tier", "sustained_growth"],
    "years": ["loyalty_years"],
    "growth": ["sustained_growth"],
}


def _dec(label, help_text=""):
    return forms.DecimalField(
        label=label, required=False, max_digits=14, decimal_places=4, help_text=help_text
    )


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=RuleKind.choices)
    rate = _dec(_("Rate (%)"), _("A flat commission, or the rebate."))
    rate_benefit = forms.BooleanField(
        label=_("Rate: each tier's margin points (tier benefits)"),
        required=False,
        help_text=_(
            "Instead of a rate of its own, the commission pays each tier the margin points its benefits promise."
        ),
    )
    brackets = forms.CharField(
        label=_("Volume brackets"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: from;to;rate — e.g. 0;10000;2 then 10000;50000;5 then 50000;;7"),
    )
    mode = forms.ChoiceField(
        label=_("Brackets paid"),
        required=False,
        choices=[
            ("marginal", _("marginally (each bracket's rate on the part inside it)")),
            ("retroactive", _("retroactively (the reached bracket's rate on everything)")),
        ],
    )
    multiplier_A = _dec(_("Multiplier tier A"))
    multiplier_B = _dec(_("Multiplier tier B"))
    multiplier_C = _dec(_("Multiplier tier C"))
    multiplier_D = _dec(_("Multiplier tier D"))
    cap = _dec(_("Cap per partner per period"))
    threshold = _dec(_("Threshold"), _("Rebate: period volume. Bonus: score or attainment (%)."))
    product = forms.CharField(label=_("Product"), required=False, max_length=200)
    amount_per_unit = _dec(_("Amount per unit"))
    bonus_type = forms.ChoiceField(
        label=_("Bonus for"),
        required=False,
        choices=[("", "—"), *[(t, t.replace("_", " ")) for t in BONUS_TYPES]],
    )
    amount = _dec(_("Bonus amount"))
    kpi = forms.CharField(label=_("KPI code (attainment bonus)"), required=False, initial="revenue")
    customer = forms.CharField(label=_("Strategic customer"), required=False, max_length=200)
    budget = _dec(_("Fixed MDF budget per partner per period"))
    budget_share = _dec(_("MDF budget as % of last period's revenue"))
    budget_share_benefit = forms.BooleanField(
        label=_("MDF budget: each tier's MDF share (tier benefits)"),
        required=False,
        help_text=_(
            "Instead of a share of its own, each tier gets the share of last period's revenue its benefits promise."
        ),
    )
    per_amount = _dec(_("Points: per this much volume"))
    points = _dec(_("Points: how many"))
    loyalty_tier = forms.ChoiceField(
        label=_("Loyalty: at this tier or above"), required=False, choices=[("", "—"), *Tier.choices]
    )
    periods = forms.IntegerField(
        label=_("Consecutive periods"),
        required=False,
        min_value=1,
        max_value=40,
        help_text=_("Loyalty: periods held at the tier. Growth: periods that each grew."),
    )
    years = forms.CharField(
        label=_("Anniversaries (years)"),
        required=False,
        help_text=_("Comma-separated, e.g. 1, 3, 5: paid in the period each anniversary falls in."),
    )
    growth = _dec(_("Growth of at least (%)"), _("Against the period before, for each period."))
    tiers = forms.MultipleChoiceField(
        label=_("Only tiers"), required=False, choices=Tier.choices, widget=forms.CheckboxSelectMultiple
    )
    stages = forms.MultipleChoiceField(
        label=_("Only stages"), required=False, choices=Stage.choices, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.CharField(
        label=_("Only regions"), required=False, help_text=_("Comma-separated; empty: all.")
    )
    products = forms.CharField(
        label=_("Only products"), required=False, help_text=_("Comma-separated; empty: all.")
    )
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_brackets(self):
        text = self.cleaned_data["brackets"].strip()
        if not text:
            return []
        brackets = []
        for number, line in enumerate(text.splitlines(), start=1):
            parts = [p.strip() for p in line.split(";")]
            if len(parts) != 3:
                raise forms.ValidationError(_("Line %(n)d: write from;to;rate.") % {"n": number})
            brackets.append({"from": parts[0], "to": parts[1] or None, "rate": parts[2]})
        return brackets

    def rule_fields(self) -> dict:
        """The form as the service's fields: params gathered for the chosen kind."""
        data = self.cleaned_data
        kind = data["kind"]

        def put(params, key, value):
            if value not in (None, "", []):
                params[key] = plain(value) if isinstance(value, Decimal) else value

        params = {}
        if kind == RuleKind.COMMISSION:
            if data["brackets"]:
                put(params, "brackets", data["brackets"])
                put(params, "mode", data["mode"] or "marginal")
            elif data["rate_benefit"]:
                put(params, "rate_benefit", "margin_points")
            else:
                put(params, "rate", data["rate"])
            multipliers = {
                t: plain(data[f"multiplier_{t}"]) for t in "ABCD" if data[f"multiplier_{t}"] is not None
            }
            put(params, "tier_multipliers", multipliers)
            put(params, "cap", data["cap"])
        elif kind == RuleKind.REBATE:
            put(params, "threshold", data["threshold"])
            put(params, "rate", data["rate"])
        elif kind == RuleKind.SPIF:
            put(params, "product", data["product"])
            put(params, "amount_per_unit", data["amount_per_unit"])
        elif kind == RuleKind.BONUS:
            put(params, "type", data["bonus_type"])
            put(params, "amount", data["amount"])
            put(params, "threshold", data["threshold"])
            put(params, "kpi", data["kpi"])
            put(params, "customer", data["customer"])
        elif kind == RuleKind.MDF:
            put(params, "budget", data["budget"])
            if data["budget_share_benefit"]:
                put(params, "budget_share_benefit", True)
            else:
                put(params, "budget_share", data["budget_share"])
        elif kind == RuleKind.POINTS:
            put(params, "per_amount", data["per_amount"])
            put(params, "points", data["points"])
        elif kind in LOYALTY:
            put(params, "tier", data["loyalty_tier"] if kind == RuleKind.LOYALTY_TIER else None)
            put(params, "periods", data["periods"] if kind != RuleKind.LOYALTY_YEARS else None)
            put(params, "years", _list(data["years"]) if kind == RuleKind.LOYALTY_YEARS else None)
            put(params, "growth", data["growth"] if kind == RuleKind.SUSTAINED_GROWTH else None)
            put(params, "amount", data["amount"])
            put(params, "points", data["points"])
            put(params, "rate", data["rate"] if kind == RuleKind.SUSTAINED_GROWTH else None)
        return {
            "name": data["name"],
            "kind": kind,
            "params": params,
            "tiers": data["tiers"],
            "stages": data["stages"],
            "regions": _list(data["regions"]),
            "products": _list(data["products"]),
            "valid_from": data["valid_from"],
            "valid_to": data["valid_to"],
            "active": data["active"],
        }

    @classmethod
    def initial_for(cls, rule) -> dict:
        params = rule.params
        initial = {
            "name": rule.name,
            "kind": rule.kind,
            "tiers": rule.tiers,
            "stages": rule.stages,
            "regions": ", ".join(rule.regions),
            "products": ", ".join(rule.products),
            "valid_from": rule.valid_from,
            "valid_to": rule.valid_to,
            "active": rule.active,
            "brackets": "\n".join(
                f"{b['from']};{b['to'] or ''};{b['rate']}" for b in params.get("brackets", [])
            ),
            "bonus_type": params.get("type"),
            "rate_benefit": bool(params.get("rate_benefit")),
            "budget_share_benefit": bool(params.get("budget_share_benefit")),
            "loyalty_tier": params.get("tier"),
            "years": ", ".join(str(y) for y in params.get("years", [])),
        }
        for key in (
            "rate",
            "mode",
            "cap",
            "threshold",
            "product",
            "amount_per_unit",
            "amount",
            "kpi",
            "customer",
            "budget",
            "budget_share",
            "per_amount",
            "points",
            "periods",
            "growth",
        ):
            if key in params:
                initial[key] = params[key]
        for tier, value in (params.get("tier_multipliers") or {}).items():
            initial[f"multiplier_{tier}"] = value
        return initial

    def field_for(self, service_key: str) -> str | None:
        """Map a service error key (``params.rate``, ``params.brackets.2``) to this form's field."""
        name, _dot, rest = service_key.removeprefix("params.").partition(".")
        if name == "tier_multipliers" and f"multiplier_{rest}" in self.fields:
            return f"multiplier_{rest}"
        name = {"type": "bonus_type", "tier_multipliers": "multiplier_A", "tier": "loyalty_tier"}.get(
            name, name
        )
        return name if name in self.fields else None

    def kind_groups(self):
        return KIND_FIELDS


def _list(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class PeriodForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=7, help_text=_("2026-07 or 2026-Q3"))


class EffectivenessForm(forms.Form):
    """The effectiveness report's period and baseline (read from the query string; both optional)."""

    period = forms.CharField(
        label=_("Period"), max_length=7, required=False, help_text=_("2026-07 or 2026-Q3")
    )
    baseline = forms.TypedChoiceField(label=_("Baseline"), coerce=int, required=False, empty_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["baseline"].choices = [
            (n, ngettext("The period before", "The %(n)d periods before", n) % {"n": n}) for n in range(1, 5)
        ]

    def clean_period(self):
        if not self.cleaned_data.get("period"):
            return None
        try:
            period = parse_period(self.cleaned_data["period"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["period"]) from exc
        if period.start.year < 1901:  # its baseline reaches back a year at most
            raise forms.ValidationError(_("Choose a period after 1900."))
        return period


class AdjustmentForm(forms.Form):
    partner = forms.CharField()  # a PartnerPickerField (set per tenant)
    amount = forms.DecimalField(label=_("Amount (negative to take back)"), max_digits=14, decimal_places=2)
    reason = forms.CharField(label=_("Why"), max_length=500)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"] = PartnerPickerField(tenant=tenant)


class MdfRequestForm(forms.Form):
    partner = (
        forms.CharField()
    )  # a PartnerPickerField for staff (set per tenant); partners request for themselves
    rule = forms.ModelChoiceField(label=_("MDF programme"), queryset=None)
    period = forms.CharField(label=_("Period"), max_length=7)
    plan = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=0)

    def __init__(self, *args, tenant, for_partner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if for_partner:
            del self.fields["partner"]
        else:
            self.fields["partner"] = PartnerPickerField(tenant=tenant)


class MdfClaimForm(forms.Form):
    request = forms.ModelChoiceField(label=_("Approved request"), queryset=None)
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=0)
    description = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))
    proof = forms.FileField(label=_("Proof (PDF or image)"))


class PartnerChoiceForm(forms.Form):
    """Staff choose whose payouts to read (by name or id; never a list of every partner)."""

    partner = forms.CharField(required=False)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"] = PartnerPickerField(tenant=tenant, required=False)


class PaymentForm(forms.Form):
    partner = forms.CharField()  # a PartnerPickerField (set per tenant)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Payment reference"), max_length=100)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"] = PartnerPickerField(tenant=tenant)


class PaymentsImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bank or ERP file (CSV)"),
        help_text=_("Columns: partner_id or payee_reference, amount, paid_on, reference"),
    )
