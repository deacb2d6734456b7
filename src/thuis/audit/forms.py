from django import forms
from django.utils.translation import gettext_lazy as _


class LogFilterForm(forms.Form):
    gebruiker = forms.CharField(label=_("Gebruikersnaam"), required=False, max_length=150)


class LogBsnForm(forms.Form):
    bsn = forms.CharField(label=_("Verwerkingen voor BSN"), max_length=11)


class InzageForm(forms.Form):
    """On the same page as LogBsnForm: a prefix keeps the field ids unique."""

    prefix = "inzage"
    bsn = forms.CharField(label=_("Inzage-export voor BSN"), max_length=11)
