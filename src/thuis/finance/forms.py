from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from thuis.core import formatting

from . import rules
from .choices import BudgetSource, CostCategory, RateKind

MONEY_ATTRS = {"inputmode": "decimal"}


class MoneyField(forms.CharField):
    """Accepts Dutch notation (1.234,56) as well as 1234.56; stores Decimal cents."""

    def __init__(self, *args, allow_negative=True, **kwargs):
        self.allow_negative = allow_negative
        kwargs.setdefault("widget", forms.TextInput(attrs=MONEY_ATTRS))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        try:
            amount = rules.parse_amount(text)
        except ValueError as exc:
            raise forms.ValidationError(
                _("Vul een bedrag in, bijvoorbeeld 1.250,00 (hoogstens twee decimalen).")
            ) from exc
        if amount < 0 and not self.allow_negative:
            raise forms.ValidationError(_("Een negatief bedrag kan hier niet."))
        return amount


class NumberField(MoneyField):
    """A non-negative decimal number (percentages, hours)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, allow_negative=False, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(_("Vul een getal in (hoogstens twee decimalen).")) from exc


class MunicipalityChoiceForm(forms.Form):
    gemeente = forms.ChoiceField(label=_("Gemeente"), choices=[])

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].choices = [(m.code, m.name) for m in municipalities]


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=2000, max_value=2100)
    source = forms.ChoiceField(label=_("Bron"), choices=BudgetSource.choices)
    amount = MoneyField(label=_("Bedrag (euro)"))
    description = forms.CharField(label=_("Omschrijving"), max_length=200, required=False)
    reference = forms.CharField(
        label=_("Vindplaats"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld: Begroting 2026, programma 6."),
    )


class RateForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Soort"), choices=RateKind.choices)
    amount = MoneyField(label=_("Bedrag per persoon of traject (euro)"), allow_negative=False)
    is_estimate = forms.BooleanField(label=_("Dit is een schatting"), required=False)
    source = forms.CharField(label=_("Bron"), max_length=300, required=False)


class CostEntryForm(forms.Form):
    booked_on = forms.DateField(
        label=_("Boekdatum"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Bijvoorbeeld 2026-03-31."),
    )
    category = forms.ChoiceField(label=_("Soort kosten"), choices=CostCategory.choices)
    provider = forms.CharField(label=_("Leverancier"), max_length=200, required=False)
    description = forms.CharField(label=_("Omschrijving"), max_length=300, required=False)
    amount = MoneyField(
        label=_("Bedrag (euro)"),
        required=False,
        help_text=_("Bij personeel mag u dit leeg laten en uren en uurtarief invullen."),
    )
    hours = NumberField(label=_("Uren"), required=False)
    hourly_rate = NumberField(label=_("Uurtarief (euro)"), required=False)

    def clean(self):
        data = super().clean() or {}
        if data.get("amount") is None and (
            data.get("hours") is None or data.get("hourly_rate") is None
        ):
            raise forms.ValidationError(_("Vul een bedrag in, of uren en uurtarief."))
        return data


class CostImportForm(forms.Form):
    bestand = forms.FileField(
        label=_("Bestand (CSV of Excel)"),
        help_text=_(
            "Kolommen: datum, soort, bedrag, leverancier, omschrijving, kenmerk "
            "(bij personeel ook uren en uurtarief)."
        ),
    )


class ScenarioForm(forms.Form):
    """Scenario parameters. Field names follow rules.ScenarioParams; percentages are 0–100."""

    name = forms.CharField(label=_("Naam"), max_length=120)
    description = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    first_year = forms.IntegerField(
        label=_("Eerste jaar van de prognose"), min_value=2000, max_value=2100
    )
    national_inhabitants = forms.IntegerField(label=_("Inwoners van Nederland"), min_value=1)
    share_plichtig_pct = NumberField(label=_("Deel inburgeringsplichtig (%)"))
    family_reunification_pct = NumberField(label=_("Extra door gezinshereniging (%)"))
    gezinsmigranten_per_year = NumberField(label=_("Gezins- en overige migranten per jaar"))
    share_b1_pct = NumberField(label=_("B1-route (%)"))
    share_onderwijs_pct = NumberField(label=_("Onderwijsroute (%)"))
    share_z_pct = NumberField(label=_("Z-route (%)"))
    cost_b1 = NumberField(label=_("Prijs B1-route per traject (euro)"))
    cost_onderwijs = NumberField(label=_("Prijs onderwijsroute per traject (euro)"))
    cost_z = NumberField(label=_("Prijs Z-route per traject (euro)"))
    cost_mb = NumberField(label=_("Maatschappelijke begeleiding per asielstatushouder (euro)"))
    cost_pvt = NumberField(label=_("PVT per persoon (euro)"))
    cost_map = NumberField(label=_("MAP per persoon (euro)"))
    spread_1 = NumberField(label=_("Uitgaven in het startjaar (%)"))
    spread_2 = NumberField(label=_("Uitgaven in jaar 2 (%)"))
    spread_3 = NumberField(label=_("Uitgaven in jaar 3 (%)"))
    staff_hours_per_year = NumberField(label=_("Uren personeel per jaar"))
    staff_hourly_rate = NumberField(label=_("Uurtarief personeel (euro)"))
    other_fixed_costs = NumberField(label=_("Overige vaste kosten per jaar (euro)"))
    cost_index_pct = NumberField(label=_("Prijsstijging per jaar (%)"))
    opening_balance = MoneyField(label=_("Saldo aan het begin (euro)"))
    note = forms.CharField(label=_("Wat heeft u veranderd?"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    HALF_YEARS = 2 * rules.FORECAST_YEARS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(self.HALF_YEARS):
            self.fields[f"taakstelling_{i}"] = forms.IntegerField(
                label=_("Landelijke taakstelling"), min_value=0
            )

    def taakstelling_fields(self):
        """(year offset, half, bound field) for the template."""
        first = self.initial.get("first_year") or self.data.get("first_year") or ""
        rows = []
        for i in range(self.HALF_YEARS):
            try:
                year = int(first) + i // 2
            except (TypeError, ValueError):
                year = None
            field = self[f"taakstelling_{i}"]
            field.label = (
                f"Landelijke taakstelling {year or ''} {'I' if i % 2 == 0 else 'II'}".replace(
                    "  ", " "
                )
            )
            rows.append(field)
        return rows

    @classmethod
    def initial_from(cls, *, name, description, params, version=None):
        data = rules.params_to_dict(params)
        initial = {
            k: v for k, v in data.items() if k not in {"taakstelling", "spread_pct", "years"}
        }
        for key in rules.DECIMAL_FIELDS:
            initial[key] = formatting.decimal_comma(getattr(params, key))
        for i, n in enumerate(params.taakstelling):
            initial[f"taakstelling_{i}"] = n
        for i, v in enumerate(params.spread_pct, start=1):
            initial[f"spread_{i}"] = formatting.decimal_comma(v)
        initial.update(name=name, description=description, version=version)
        return initial

    def clean(self):
        data = super().clean() or {}
        if self.errors:
            return data
        raw = {k: data[k] for k in rules.INT_FIELDS if k in data and k != "years"}
        for k in rules.DECIMAL_FIELDS:
            raw[k] = data.get(k) if data.get(k) is not None else Decimal(0)
        raw["taakstelling"] = [data[f"taakstelling_{i}"] for i in range(self.HALF_YEARS)]
        raw["spread_pct"] = [data.get(f"spread_{i}") or Decimal(0) for i in (1, 2, 3)]
        try:
            self.params = rules.params_from_dict(raw)
        except rules.ParameterError as exc:
            mapping = {
                "route_mix": "share_b1_pct",
                "spread_pct": "spread_1",
                "taakstelling": "taakstelling_0",
            }
            for key, message in exc.errors.items():
                field = mapping.get(key, key)
                self.add_error(field if field in self.fields else None, message)
        return data
