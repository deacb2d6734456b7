"""Forms of the partner portal and the regisseur's participation screens (Dutch, B1)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from thuis.cases.forms import date_field
from thuis.people.models import Municipality

from . import rules
from .choices import (
    ContactCommunity,
    ContactKind,
    ContractType,
    EndReason,
    ReferralStatus,
    ReferralType,
    ReportKind,
    SpellKind,
)
from .models import Organisation


class ReferralForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none(), empty_label=None
    )
    referral_type = forms.ChoiceField(
        label=_("Doel van de verwijzing"),
        choices=ReferralType.choices,
        help_text=_("Het doel bepaalt welke gegevens de partner ziet."),
    )
    purpose = forms.CharField(
        label=_("Toelichting voor de partner"),
        required=False,
        max_length=500,
        widget=forms.Textarea,
        help_text=_("Schrijf geen gezondheidsgegevens of BSN in de toelichting."),
    )
    consent_on = date_field(
        _("Datum toestemming van de persoon"),
        required=False,
        help_text=_("Nodig voor werk, vrijwilligerswerk en sport."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


def _status_choices(statuses: list[str]) -> list[tuple[str, str]]:
    return [(s, str(ReferralStatus(s).label)) for s in statuses]


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Nieuwe status"), choices=())
    on_date = date_field(_("Datum"))
    reason = forms.CharField(
        label=_("Reden of toelichting"),
        required=False,
        max_length=255,
        help_text=_("Verplicht bij afwijzen en intrekken."),
    )
    end_reason = forms.ChoiceField(
        label=_("Reden einde"),
        required=False,
        choices=[("", _("Niet van toepassing")), *EndReason.choices],
    )

    def __init__(self, *args: Any, current: str, actor: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = _status_choices(  # type: ignore[attr-defined]
            rules.next_statuses(current=current, actor=actor)
        )


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort rapportage"), choices=ReportKind.choices)
    period_start = date_field(_("Periode van"))
    period_end = date_field(_("Periode tot en met"))
    hours = forms.DecimalField(
        label=_("Uren"), required=False, min_value=0, max_value=500, decimal_places=2
    )
    sessions_attended = forms.IntegerField(label=_("Keren aanwezig"), required=False, min_value=0)
    sessions_missed = forms.IntegerField(label=_("Keren afwezig"), required=False, min_value=0)
    note = forms.CharField(
        label=_("Voortgang of uitkomst"),
        required=False,
        max_length=500,
        widget=forms.Textarea,
        help_text=_("Geen gezondheidsgegevens."),
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand (CSV, XLSX of JSON)"),
        help_text=_("Het hele bestand wordt ingelezen, of niets als er een fout in staat."),
    )


class SpellForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=SpellKind.choices)
    start_date = date_field(_("Begindatum"))
    end_date = date_field(_("Einddatum"), required=False)
    hours_per_week = forms.DecimalField(
        label=_("Uren per week"), required=False, min_value=0, max_value=80, decimal_places=1
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none(), required=False
    )
    sector = forms.CharField(label=_("Sector"), required=False, max_length=100)
    contract_type = forms.ChoiceField(
        label=_("Soort contract"), choices=ContractType.choices, required=False
    )
    description = forms.CharField(label=_("Omschrijving"), required=False, max_length=200)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Wie steunt"), choices=ContactKind.choices)
    community = forms.ChoiceField(label=_("Uit welke omgeving"), choices=ContactCommunity.choices)
    start_date = date_field(_("Sinds"))
    end_date = date_field(_("Tot en met"), required=False)
    description = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld: taalmaatje via de bibliotheek. Geen namen nodig."),
    )


class TokenForm(forms.Form):
    """A key for a partner organisation's system: only organisations and gemeenten of the
    beheerder's own gemeenten can be chosen (the service checks again)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none(), empty_label=None
    )
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"), queryset=Municipality.objects.none(), empty_label=None
    )
    name = forms.CharField(
        label=_("Omschrijving"),
        max_length=100,
        help_text=_("Bijvoorbeeld: koppeling met het leerlingvolgsysteem."),
    )
    days = forms.IntegerField(
        label=_("Geldig (dagen)"),
        min_value=1,
        help_text=_("Maak de sleutel opnieuw voordat hij verloopt."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from django.conf import settings

        from thuis.accounts import scope

        from . import selectors

        super().__init__(*args, **kwargs)
        longest = settings.THUIS_API_TOKEN_DAYS
        self.fields["organisation"].queryset = selectors.organisations_for_tokens(user=user)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            pk__in=scope.municipality_ids(user)
        ).order_by("name")
        days = self.fields["days"]
        days.max_value = longest
        days.initial = longest
        days.validators.append(MaxValueValidator(longest))
        days.widget.attrs["max"] = longest


class ContractForm(forms.ModelForm):
    start_date = date_field(_("Ingangsdatum"))
    end_date = date_field(_("Einddatum"), required=False)

    class Meta:
        from .models import Contract

        model = Contract
        fields = [
            "organisation",
            "municipality",
            "product",
            "referral_type",
            "unit",
            "price",
            "start_date",
            "end_date",
            "max_units",
            "cost_category",
        ]

    def __init__(self, *args: Any, municipalities: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].empty_label = None
        # Own gemeenten only (issue 15): an organisation of another gemeente is no choice.
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
