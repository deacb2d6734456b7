import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every domain table records when a row was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OutboxStatus(models.TextChoices):
    """The states of an outbox row (`thuis.core.outbox`); an inbox may name them its own way."""

    PENDING = "pending", _("Wacht op verzending")
    SENDING = "sending", _("Wordt verzonden")
    SENT = "sent", _("Verzonden")
    FAILED = "failed", _("Mislukt")


class DeadReason(models.TextChoices):
    """Why a row stopped in the dead-letter state (`failed`): a beheerder decides what next."""

    REFUSED = "refused", _("Geweigerd of niet te verwerken, niet opnieuw geprobeerd")
    MAX_ATTEMPTS = "max_attempts", _("Opgegeven na het hoogste aantal pogingen")


class OutboxItem(BaseModel):
    """One piece of work that is stored first and done later, at most one worker at a time.

    `thuis.core.outbox` claims a row with a lease (`claimed_at` + the outbox's lease), counts
    `attempts`, waits until `next_attempt_at` after a failure (one backoff policy per outbox,
    from settings) and moves the row to the dead-letter state (`failed` with `dead_reason`)
    after a refusal or the last attempt. `idempotency_key` goes with every attempt, so a
    receiver can recognise a repeat; it is unique within each concrete table.
    """

    idempotency_key = models.UUIDField(
        _("idempotentiesleutel"), unique=True, default=uuid.uuid4, editable=False
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(
        _("volgende poging"), null=True, blank=True, default=timezone.now
    )
    claimed_at = models.DateTimeField(_("in behandeling sinds"), null=True, blank=True)
    last_error = models.TextField(_("laatste fout"), blank=True)
    dead_reason = models.CharField(
        _("reden mislukt"), max_length=16, choices=DeadReason.choices, blank=True
    )

    class Meta:
        abstract = True
