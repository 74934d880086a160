"""The partner programme's settings, with the tier table in words."""

from rest_framework import serializers

from partners.choices import Stage


class TierRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="S/W competitiveness, H/L willingness, S/W autonomy, e.g. SLW")
    competitiveness = serializers.CharField()
    willingness = serializers.CharField()
    autonomy = serializers.CharField()
    tier = serializers.ChoiceField(choices=["A", "B", "C", "D"])
    named = serializers.BooleanField(help_text="A row of the playbook's table (the others are fill-ins)")


class ProgrammeSerializer(serializers.Serializer):
    """The tenant's partner-programme settings (PATCH any of them; admins only)."""

    time_boxes = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        help_text="Days allowed per stage ({stage: days}); 0 means no time box.",
    )
    protection_days = serializers.IntegerField(min_value=1, max_value=730, required=False)
    deals_auto_win = serializers.BooleanField(required=False)
    tier_window_days = serializers.IntegerField(min_value=30, max_value=1095, required=False)
    assessment_weight = serializers.FloatField(min_value=0, max_value=1, required=False)
    thresholds = serializers.DictField(
        child=serializers.FloatField(min_value=0, max_value=100), required=False
    )
    tier_table = serializers.DictField(
        child=serializers.ChoiceField(choices=["A", "B", "C", "D"]),
        required=False,
        help_text='Any of the eight rows, e.g. {"SLW": "C"}; see tier_rows for the whole table in words.',
    )
    gate_minimums = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=5)),
        required=False,
        help_text='Lowest rating per criterion of the latest assessment to pass a gate: {"selection": {"integrity": 3}, '
        '"strategic": {…}}; 0 means no minimum.',
    )
    revenue_weight = serializers.FloatField(
        min_value=0,
        max_value=1,
        required=False,
        help_text="Share of the revenue percentile in measured competitiveness; the win rate has the rest.",
    )
    attainment_cap = serializers.IntegerField(
        min_value=100,
        max_value=200,
        required=False,
        help_text="Scorecards: a KPI's attainment counts up to this percent of its target.",
    )
    balance_spread = serializers.IntegerField(
        min_value=1,
        max_value=100,
        required=False,
        help_text="Scorecards: the dimensions are balanced within this many points of each other.",
    )
    jump_factor = serializers.FloatField(
        min_value=1.01,
        required=False,
        help_text="Payout runs warn when a partner's total exceeds this many times its earlier average …",
    )
    jump_minimum = serializers.IntegerField(
        min_value=0, required=False, help_text="… and this amount, in the tenant's currency."
    )
    answer_within_days = serializers.IntegerField(
        min_value=1,
        max_value=60,
        required=False,
        help_text="The vendor answers a deal registration within this many days (a vendor-side scorecard KPI).",
    )
    pay_unsigned_partners = serializers.BooleanField(
        required=False,
        help_text="Payout runs pay partners not signed yet (with a warning); false: signed only.",
    )
    selling_stages = serializers.ListField(
        child=serializers.ChoiceField(choices=Stage.choices),
        allow_empty=False,
        required=False,
        help_text="Stages whose partners may register deals and be booked sales (default strategic and later).",
    )
    willingness_weights = serializers.DictField(
        child=serializers.FloatField(min_value=0, max_value=10),
        required=False,
        help_text="Weight of each input of measured willingness: registrations, visits (met their goal), "
        "training (required courses valid), leads (accepted); 0 leaves one out.",
    )
    mdf_over_claim = serializers.ChoiceField(
        choices=["refuse", "pay_remaining"],
        required=False,
        help_text="An MDF claim above what remains of its request is refused, or paid up to what remains "
        "with the rest kept open as the claim's balance.",
    )
    certification_reminder_days = serializers.IntegerField(
        min_value=0,
        max_value=365,
        required=False,
        help_text="Partner users are e-mailed this many days before required training expires (0: never).",
    )
    certification_lapse = serializers.ChoiceField(
        choices=["back_to_signed", "keep"],
        required=False,
        help_text="What expired required training does to a certified partner.",
    )
    service_reminder_days = serializers.IntegerField(
        min_value=1,
        max_value=180,
        required=False,
        help_text="Installed base: reminders this many days before a service or a warranty end.",
    )
    remind_end_customers = serializers.BooleanField(
        required=False,
        help_text="Installed base: remind end customers too, where they agreed.",
    )
    visit_cadence_per_day = serializers.IntegerField(
        min_value=0,
        max_value=20,
        required=False,
        help_text="The playbook's cadence: new candidates a channel manager visits per working day (team report).",
    )
    health_quiet_days = serializers.IntegerField(
        min_value=7,
        max_value=730,
        required=False,
        help_text="Health: a selling partner with no sale and no deal registration for this many days is quiet.",
    )
    health_return_amount = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text="Health: a return of at least this amount (tenant currency, last 90 days) is a warning.",
    )
    tier_rows = TierRowSerializer(many=True, read_only=True)
    tier_recompute = serializers.DictField(
        read_only=True, allow_null=True, help_text="The job started when a tiering setting changed"
    )

    def validate_time_boxes(self, value):
        from partners.choices import PIPELINE

        unknown = sorted(set(value) - set(PIPELINE))
        if unknown:
            raise serializers.ValidationError(f"Unknown stages: {', '.join(unknown)}.")
        return value

    def validate_willingness_weights(self, value):
        from partners.programme import DEFAULT_WILLINGNESS_WEIGHTS

        unknown = sorted(set(value) - set(DEFAULT_WILLINGNESS_WEIGHTS))
        if unknown:
            raise serializers.ValidationError(f"Unknown inputs: {', '.join(unknown)}.")
        return value

    def validate_thresholds(self, value):
        from partners.tiering import AXES

        unknown = sorted(set(value) - set(AXES))
        if unknown:
            raise serializers.ValidationError(f"Unknown axes: {', '.join(unknown)}.")
        return value
