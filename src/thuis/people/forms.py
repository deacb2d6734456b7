from django import forms
from django.utils.translation import gettext_lazy as _

from thuis.cases.choices import CaseStatus


class CaseloadFilterForm(forms.Form):
    naam = forms.CharField(label=_("Zoek op naam"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle statussen")), *CaseStatus.choices]
    )
    regisseur = forms.TypedChoiceField(
        label=_("Regisseur"), required=False, coerce=int, empty_value=None, choices=[]
    )
    cohort = forms.TypedChoiceField(
        label=_("Cohort (jaar start plicht)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
    )
    mijn = forms.BooleanField(label=_("Alleen mijn caseload"), required=False)

    def __init__(self, *args, regisseurs=(), cohorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regisseur"].choices = [("", _("Alle regisseurs"))] + [
            (u.pk, str(u)) for u in regisseurs
        ]
        self.fields["cohort"].choices = [("", _("Alle jaren"))] + [(c, str(c)) for c in cohorts]


class BsnSearchForm(forms.Form):
    bsn = forms.CharField(
        label=_("Zoek op BSN"),
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
