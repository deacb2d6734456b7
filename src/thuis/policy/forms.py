from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Action, AttentionPoint, Goal, Plan, Report, Theme

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "adopted_on", "adopted_by", "vision"]
        widgets = {"adopted_on": DATE}


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["title", "description", "order"]


def indicator_choices() -> list[tuple[str, str]]:
    from django.apps import apps

    choices: list[tuple[str, str]] = [("", str(_("Geen indicator (alleen tekst)")))]
    if not apps.is_installed("thuis.monitoring"):
        return choices
    try:
        from thuis.monitoring import indicators

        choices += [
            (code, f"{ind.name} ({code})")
            for code, ind in indicators.CATALOGUE.items()
            if ind.unit == "%"
        ]
    except (ImportError, AttributeError, RuntimeError):
        pass
    return choices


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["description", "indicator_code", "comparison", "target_value"]
        help_texts = {
            "description": _("Bijvoorbeeld: 75% participeert een half jaar na vestiging."),
            "target_value": _("Een percentage, bijvoorbeeld 75."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = indicator_choices()
        if len(choices) > 1:
            current = self.initial.get("indicator_code") or getattr(
                self.instance, "indicator_code", ""
            )
            if current and current not in dict(choices):
                choices.append((current, current))
            self.fields["indicator_code"] = forms.ChoiceField(
                label=_("Indicator"), choices=choices, required=False
            )


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "owner",
            "status",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "evidence",
        ]
        widgets = {
            "planned_start": DATE,
            "planned_end": DATE,
            "actual_start": DATE,
            "actual_end": DATE,
        }

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        from thuis.partners import selectors as partner_selectors

        self.fields["owner"].queryset = partner_selectors.owner_choices(
            municipality=municipality, keep_id=self.instance.owner_id
        )
        self.fields["owner"].empty_label = _("De gemeente zelf")


class ReportCreateForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Plan van aanpak"), queryset=Plan.objects.none())
    peildatum = forms.DateField(label=_("Peildatum van de cijfers"), widget=DATE)

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["plan"].queryset = plans


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = [
            "approach",
            "peildatum",
            "period_start",
            "finance_year",
            "developments",
            "next_steps",
            "advice_id",
            "council_document",
            "doel",
            "inleiding",
            "kernboodschap",
            "duurzaamheid",
            "communicatie",
            "vervolg",
            "burgemeester",
            "secretaris",
            "secretaris_title",
        ]
        widgets = {"peildatum": DATE, "period_start": DATE}

    def __init__(self, *args, advices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if advices is not None:
            self.fields["advice_id"] = forms.TypedChoiceField(
                label=_("Advies van de adviesraad (bijlage 2 en 3)"),
                choices=[("", _("Geen advies"))] + [(str(pk), label) for pk, label in advices],
                coerce=int,
                empty_value=None,
                required=False,
            )
        else:
            self.fields["advice_id"].widget = forms.HiddenInput()


class AttentionPointForm(forms.ModelForm):
    class Meta:
        model = AttentionPoint
        fields = ["title", "text", "evidence", "include", "order"]


class GenerateForm(forms.Form):
    peildatum = forms.DateField(label=_("Peildatum van de cijfers"), widget=DATE)


class DistributeForm(forms.Form):
    organisations: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Naar welke partners?"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations
