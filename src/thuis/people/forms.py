from django import forms
from django.utils.translation import gettext_lazy as _


class BsnSearchForm(forms.Form):
    bsn = forms.CharField(
        label=_("Zoek op BSN"),
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
