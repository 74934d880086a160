"""Portal forms of partners/. Validation of the domain stays in the services."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .assessment_criteria import CANDIDATE_NEEDS, CRITERIA
from .choices import AssessmentKind, BenefitKind, ObjectionType, Stage, Tier
from .models import Partner
from .picker import PartnerPickerField

User = get_user_model()


class PartnerForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = [
            "name",
            "region",
            "country",
            "industry",
            "website",
            "source",
            "referrer",
            "referral_level",
            "operating_model",
            "owner",
            "lines_carried",
            "on_target_list",
        ]

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(memberships__tenant=tenant).order_by("username")
        from .reference import PARTNER_FIELDS, Vocabulary

        vocabulary = Vocabulary(tenant)
        for name, kind in PARTNER_FIELDS.items():
            if vocabulary.has(kind):  # a list: choose from it (keeping a value typed before the list existed)
                choices = vocabulary.choices(kind)
                current = getattr(self.instance, name, "") if self.instance else ""
                if current and (current, current) not in choices:
                    choices.append((current, current))
                self.fields[name] = forms.ChoiceField(
                    label=self.fields[name].label, required=False, choices=[("", "—"), *choices]
                )


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    note = forms.CharField(label=_("Why"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TierOverrideForm(forms.Form):
    tier = forms.ChoiceField(
        label=_("Tier"), choices=[("", _("Remove the override")), *Tier.choices], required=False
    )
    reason = forms.CharField(label=_("Why"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VisitForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    summary = forms.CharField(
        label=_("Summary: feedback and concerns"), widget=forms.Textarea(attrs={"rows": 4})
    )
    goal_met = forms.BooleanField(label=_("The goal of the visit was met"), required=False)
    next_step = forms.CharField(
        label=_("Next step"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    make_target = forms.BooleanField(label=_("Make it a target partner"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .choices import VisitKind

        self.fields["kind"].choices = VisitKind.choices
        for value, label in ObjectionType.choices:
            self.fields[f"objection_{value}"] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
                help_text=_("What was said, if this objection came up."),
            )

    def objections(self) -> list[dict]:
        return [
            {"type": value, "note": self.cleaned_data[f"objection_{value}"]}
            for value in ObjectionType.values
            if self.cleaned_data.get(f"objection_{value}", "").strip()
        ]

    def objection_fields(self):
        return [self[f"objection_{value}"] for value in ObjectionType.values]

    def visit_fields(self):
        return [self[name] for name in ("date", "kind", "summary", "goal_met", "next_step", "make_target")]


class AssessmentForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        scores = [(i, str(i)) for i in range(1, 6)]
        for key, label in CRITERIA[kind].items():
            self.fields[f"score_{key}"] = forms.TypedChoiceField(
                label=label, choices=scores, coerce=int, widget=forms.RadioSelect
            )
            self.fields[f"note_{key}"] = forms.CharField(label=_("Note"), required=False)
        if kind == "selection":
            self.fields["needs"] = forms.MultipleChoiceField(
                label=_("What the candidate needs from us"),
                required=False,
                choices=list(CANDIDATE_NEEDS.items()),
                widget=forms.CheckboxSelectMultiple,
            )

    def criteria(self):
        return [(self[f"score_{key}"], self[f"note_{key}"]) for key in CRITERIA[self.kind]]

    def ratings(self) -> dict:
        return {
            key: {"score": self.cleaned_data[f"score_{key}"], "note": self.cleaned_data[f"note_{key}"]}
            for key in CRITERIA[self.kind]
        }


class SalesImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: external_id, partner, date, product, quantity, amount, currency, customer"),
    )


class PartnersImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "A header row with at least: name. Also read: region, country, industry, website, source, "
            "referrer, lines_carried, owner, contact_name, contact_email, contact_phone, contact_role."
        ),
    )


class DealForm(forms.Form):
    partner = (
        forms.CharField()
    )  # a PartnerPickerField for staff (set per tenant); partners register their own
    customer = forms.CharField(label=_("Customer"), max_length=200)
    customer_contact = forms.CharField(label=_("Customer e-mail or website"), required=False, max_length=200)
    product = forms.CharField(label=_("Product"), required=False, max_length=200)
    expected_amount = forms.DecimalField(
        label=_("Expected amount"), min_value=0, max_digits=14, decimal_places=2
    )
    self_sourced = forms.BooleanField(label=_("Found by the partner"), required=False, initial=True)

    def __init__(self, *args, tenant, partner_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partner_id is not None:
            del self.fields["partner"]
        else:
            self.fields["partner"] = PartnerPickerField(tenant=tenant)


class DealCloseForm(forms.Form):
    won = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", _("Won")), ("0", _("Lost"))])
    amount = forms.DecimalField(
        label=_("Won amount"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    note = forms.CharField(label=_("How it ended"), required=False)


class DealDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        coerce=lambda v: v == "1", choices=[("1", _("Approve")), ("0", _("Reject"))]
    )
    reason = forms.CharField(label=_("Why"), required=False)


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
        from .choices import PIPELINE
        from .tiering import AXES

        for stage in PIPELINE[:-1]:
            self.fields[f"box_{stage}"] = forms.IntegerField(
                label=_("Time box: %(stage)s (days)") % {"stage": Stage(stage).label},
                min_value=0,
                required=False,
                help_text=_("Empty or 0: no time box."),
            )
        from .programme import DEFAULT_WILLINGNESS_WEIGHTS, willingness_input_labels

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
        from .assessment_criteria import CRITERIA
        from .programme import DEFAULT_GATE_MINIMUMS, DEFAULT_TIER_TABLE, NAMED_ROWS, tier_key_words

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
        from .choices import PIPELINE

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


class TierBenefitForm(forms.Form):
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=BenefitKind.choices)
    value = forms.DecimalField(
        label=_("Value"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("The number in the kind's unit (points, percent, hours, weight, seats)."),
    )
    description = forms.CharField(label=_("What the partner gets"), max_length=300)
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)
