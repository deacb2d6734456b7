import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from thuis.audit import events

from .middleware import LAST_SEEN, LOGIN_AT


@receiver(user_logged_in)
def stamp_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Start the absolute and idle session clocks; record the login in the security log."""
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[LAST_SEEN] = now
    events.security_event(user=user, name="login")
