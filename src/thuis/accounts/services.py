"""Account operations: second-factor devices."""

from __future__ import annotations

from django.db import transaction

from django_otp.plugins.otp_totp.models import TOTPDevice

from thuis.audit import events

from .models import User


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device shown as a QR code until the user confirms a first code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)
    return device


def confirmed_totp_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_verify(*, user: User, token: str) -> TOTPDevice | None:
    """Check a code; the first good code confirms a new device. Returns the device or None."""
    device = confirmed_totp_device(user=user) or totp_device_for_setup(user=user)
    if not device.verify_token(token):
        events.security_event(user=user, name="otp_failed")
        return None
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        events.security_event(user=user, name="otp_device_confirmed")
    return device
