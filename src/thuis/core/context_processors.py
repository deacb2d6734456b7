from typing import Any

from django.conf import settings
from django.http import HttpRequest


def thuis(request: HttpRequest) -> dict[str, Any]:
    return {
        "THUIS_DEMO": settings.THUIS_DEMO,
        "THUIS_2FA_REQUIRED": settings.THUIS_2FA_REQUIRED,
    }
