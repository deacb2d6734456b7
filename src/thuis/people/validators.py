from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from thuis.core.bsn import is_valid_bsn

from .countries import COUNTRY_CODES


def validate_bsn(value: str) -> None:
    if not is_valid_bsn(value):
        raise ValidationError(
            _("Dit is geen geldig BSN. Een BSN heeft 9 cijfers en voldoet aan de elfproef."),
            code="bsn",
        )


def validate_country(value: str) -> None:
    if value not in COUNTRY_CODES:
        raise ValidationError(_("Onbekende landcode: gebruik een code uit ISO 3166 (zoals SY)."))
