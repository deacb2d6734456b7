"""OpenAPI extensions so the committed schema documents every authentication method."""

from drf_spectacular.authentication import SessionScheme


class VerifiedSessionScheme(SessionScheme):
    target_class = "thuis.api.auth.VerifiedSessionAuthentication"
    name = "sessie"
    priority = 1
