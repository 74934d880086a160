"""The partner programme's settings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import AssessmentKind, Stage, Tier

#: the programme's settings that are one value each, field named as the setting
PLAIN_SETTINGS = (
    "revenue_weight",
    "attainment_cap",
    "balance_spread",
    "jump_factor",
    "jump_minimum",
    "pay_unsigned_partners",
    "answer_within_days",
    "mdf_over_claim",
    "certification_reminder_days",
    "certification_lapse",
    "health_quiet_days",
    "health_return_amount",
    "visit_cadence_per_day",
    "service_reminder_days",
    "remind_end_customers",
)


class ProgrammeForm(forms.Form):
    """The tenant's partner-programme settings: time boxes, protection, tiering."""

    protection_days = forms.IntegerField(label=_("Deal protection (days)"), min_value=1, max_value=730)
    deals_auto_win = forms.BooleanField(
        label=_("A booked sale wins the partner's open registration for that customer"), required=False
    )
    tier_window_days = forms.IntegerField(label=_("Tier window (days of data)"), min_value=30, max_value=1095)
    assessment_weight = forms.FloatField(
        label=_("Weight of the manager's assessment (0–1)"),
        min_value=0,
        max_value=1,
        help_text=_("The rest of each axis comes from measured data."),
    )
    revenue_weight = forms.FloatField(
        required=False,
        label=_("Weight of revenue in competitiveness (0–1)"),
        min_value=0,
        max_value=1,
        help_text=_("The revenue percentile counts this much, the win rate the rest."),
    )
    attainment_cap = forms.IntegerField(
        required=False,
        label=_("Scorecards: attainment counts up to (percent of the target)"),
        min_value=100,
        max_value=200,
        help_text=_("100: beating one target does not make up for missing another."),
    )
    balance_spread = forms.IntegerField(
        required=False, label=_("Scorecards: dimensions balanced within (points)"), min_value=1, max_value=100
    )
    jump_factor = forms.FloatField(
        required=False,
        label=_("Payout runs: warn above this many times a partner's earlier average"),
        min_value=1.01,
    )
    jump_minimum = forms.IntegerField(
        required=False,
        label=_("Payout runs: … and above this amount"),
        min_value=0,
        help_text=_("In the tenant's currency."),
    )
    answer_within_days = forms.IntegerField(
        required=False,
        label=_("The vendor answers a deal registration within (days)"),
        min_value=1,
        max_value=60,
        help_text=_("Scorecards measure it on the vendor's side of activation."),
    )
    pay_unsigned_partners = forms.BooleanField(
        label=_("Payout runs pay partners that are not signed yet (with a warning)"), required=False
    )
    selling_stages = forms.MultipleChoiceField(
        label=_("Stages that may register deals and be booked sales"),
        choices=Stage.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A refused registration or sale names the stage."),
    )
    mdf_over_claim = forms.ChoiceField(
        required=False,
        label=_("An MDF claim above what remains of its request"),
        choices=[
            ("refuse", _("is refused")),
            ("pay_remaining", _("is paid up to what remains; the rest stays open")),
        ],
    )
    certification_reminder_days = forms.IntegerField(
        required=False,
        label=_("Remind partners before required training expires (days)"),
        min_value=0,
        max_value=365,
        help_text=_("0: no reminders."),
    )
    service_reminder_days = forms.IntegerField(
        required=False,
        label=_("Installed base: remind this many days before a service or warranty end"),
        min_value=1,
        max_value=180,
    )
    remind_end_customers = forms.BooleanField(
        required=False,
        label=_("Installed base: remind end customers too (where they agreed)"),
    )
    visit_cadence_per_day = forms.IntegerField(
        required=False,
        label=_("Cadence: new candidates a channel manager visits per working day"),
        min_value=0,
        max_value=20,
        help_text=_("The team report measures each manager's weeks against it."),
    )
    health_quiet_days = forms.IntegerField(
        required=False,
        label=_("Health: a selling partner is quiet after (days without a sale or registration)"),
        min_value=7,
        max_value=730,
    )
    health_return_amount = forms.IntegerField(
        required=False,
        label=_("Health: warn of a return of at least"),
        min_value=0,
        help_text=_("In the tenant's currency, within the last 90 days."),
    )
    certification_lapse = forms.ChoiceField(
        required=False,
        label=_("When required training expires, a certified partner"),
        choices=[("back_to_signed", _("goes back to signed")), ("keep", _("stays certified"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ..choices import PIPELINE
        from ..tiering import AXES

        for stage in PIPELINE[:-1]:
            self.fields[f"box_{stage}"] = forms.IntegerField(
                label=_("Time box: %(stage)s (days)") % {"stage": Stage(stage).label},
                min_value=0,
                required=False,
                help_text=_("Empty or 0: no time box."),
            )
        from ..programme import DEFAULT_WILLINGNESS_WEIGHTS, willingness_input_labels

        labels = willingness_input_labels()
        for name in DEFAULT_WILLINGNESS_WEIGHTS:
            self.fields[f"weight_{name}"] = forms.FloatField(
                label=_("Willingness: weight of %(input)s (0–10)") % {"input": labels[name]},
                min_value=0,
                max_value=10,
                required=False,
                help_text=_("0: not counted."),
            )
        for axis in AXES:
            self.fields[f"threshold_{axis}"] = forms.FloatField(
                label=_("Threshold: %(axis)s (0–100)") % {"axis": _(axis)}, min_value=0, max_value=100
            )
        from ..assessment_criteria import CRITERIA
        from ..programme import DEFAULT_GATE_MINIMUMS, DEFAULT_TIER_TABLE, NAMED_ROWS, tier_key_words

        for kind in DEFAULT_GATE_MINIMUMS:
            for criterion, label in CRITERIA[kind].items():
                self.fields[f"min_{kind}__{criterion}"] = forms.IntegerField(
                    label=_("Minimum rating (%(assessment)s): %(criterion)s")
                    % {"assessment": AssessmentKind(kind).label, "criterion": label},
                    min_value=0,
                    max_value=5,
                    required=False,
                    help_text=_("0 or empty: no minimum. Below it, the partner does not pass the gate."),
                )

        for key in DEFAULT_TIER_TABLE:
            words = tier_key_words(key)
            self.fields[f"tier_{key}"] = forms.ChoiceField(
                label=_("Tier when competitiveness is %(c)s, willingness %(w)s, autonomy %(a)s")
                % {"c": words["competitiveness"], "w": words["willingness"], "a": words["autonomy"]},
                choices=Tier.choices,
                help_text=_("A row of the playbook's table.") if key in NAMED_ROWS else _("A fill-in."),
            )

    @classmethod
    def initial_for(cls, programme) -> dict:
        from ..choices import PIPELINE

        initial = {
            "protection_days": programme.protection_days,
            "deals_auto_win": programme.deals_auto_win,
            "tier_window_days": programme.tier_window_days,
            "assessment_weight": programme.assessment_weight,
            "selling_stages": list(programme.selling_stages),
            **{name: getattr(programme, name) for name in PLAIN_SETTINGS},
        }
        initial.update({f"weight_{k}": v for k, v in programme.willingness_weights.items()})
        initial.update({f"box_{s}": programme.time_boxes.get(s) or None for s in PIPELINE[:-1]})
        initial.update({f"threshold_{a}": v for a, v in programme.thresholds.items()})
        initial.update({f"tier_{k}": v for k, v in programme.tier_table.items()})
        initial.update(
            {
                f"min_{kind}__{c}": v or None
                for kind, criteria in programme.gate_minimums.items()
                for c, v in criteria.items()
            }
        )
        return initial

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "protection_days": data["protection_days"],
            "deals_auto_win": data["deals_auto_win"],
            "tier_window_days": data["tier_window_days"],
            "assessment_weight": data["assessment_weight"],
            "selling_stages": data["selling_stages"],
            "willingness_weights": {
                k[7:]: v for k, v in data.items() if k.startswith("weight_") and v is not None
            },
            **{
                name: data[name] for name in PLAIN_SETTINGS if data.get(name) not in (None, "")
            },  # empty: unchanged
            "time_boxes": {k[4:]: v or 0 for k, v in data.items() if k.startswith("box_")},
            "thresholds": {k[10:]: v for k, v in data.items() if k.startswith("threshold_")},
            "tier_table": {k[5:]: v for k, v in data.items() if k.startswith("tier_") and len(k) == 8},
            "gate_minimums": _gate_minimums(data),
        }


def _gate_minimums(data) -> dict:
    minimums: dict = {}
    for name, value in data.items():
        if name.startswith("min_"):
            kind, criterion = name[4:].split("__", 1)
            minimums.setdefault(kind, {})[criterion] = value or 0
    return minimums
