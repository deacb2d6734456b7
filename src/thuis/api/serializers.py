from __future__ import annotations

from rest_framework import serializers

from thuis.cases.choices import CaseStatus
from thuis.cases.models import DoelgroepPeriod, IntegrationCase
from thuis.people.models import Person


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "bsn",
            "given_names",
            "prefix",
            "family_name",
            "birth_date",
            "sex",
            "nationality",
            "country_of_birth",
            "languages",
            "preferred_language",
        ]
        read_only_fields = fields


class PersonSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "given_names", "prefix", "family_name", "birth_date"]
        read_only_fields = fields


class BsnSearchSerializer(serializers.Serializer):
    bsn = serializers.CharField(max_length=11, help_text="BSN, 9 cijfers (elfproef).")


class DoelgroepPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = DoelgroepPeriod
        fields = ["doelgroep", "gedetailleerde_doelgroep", "start_date", "end_date"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    doelgroepen = DoelgroepPeriodSerializer(many=True, read_only=True)
    regisseur = serializers.SerializerMethodField()

    class Meta:
        model = IntegrationCase
        fields = [
            "id",
            "person",
            "regime",
            "plicht_start",
            "koppeling_date",
            "vestiging_date",
            "status",
            "status_since",
            "regisseur",
            "team",
            "version",
            "doelgroepen",
        ]
        read_only_fields = fields

    def get_regisseur(self, obj: IntegrationCase) -> str | None:
        return obj.regisseur.get_username() if obj.regisseur else None


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    on_date = serializers.DateField()
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=1)
