"""The programme's settings, every app's section, with the tier table in words."""

from rest_framework import serializers

from prm.programme import programme_sections


class TierRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="S/W competitiveness, H/L willingness, S/W autonomy, e.g. SLW")
    competitiveness = serializers.CharField()
    willingness = serializers.CharField()
    autonomy = serializers.CharField()
    tier = serializers.ChoiceField(choices=["A", "B", "C", "D"])
    named = serializers.BooleanField(help_text="A row of the playbook's table (the others are fill-ins)")


class ProgrammeSerializer(serializers.Serializer):
    """The programme's settings (PATCH any of them; admins only): the fields of every app's section
    (``prm.programme``, each app's ``programme_section.py``), then the tier table in words and the
    recompute a change started."""

    tier_rows = TierRowSerializer(many=True, read_only=True)
    tier_recompute = serializers.DictField(
        read_only=True, allow_null=True, help_text="The job started when a tiering setting changed"
    )

    def get_fields(self):
        fields = {}
        for section in programme_sections():
            fields.update(section.api_fields())
        return {**fields, **super().get_fields()}
