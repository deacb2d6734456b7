from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    """Geslacht as registered in the BRP (M, V, O = onbekend)."""

    MAN = "M", _("Man")
    VROUW = "V", _("Vrouw")
    ONBEKEND = "O", _("Onbekend")


class Relation(models.TextChoices):
    REFERENT = "referent", _("Hoofd / referent")
    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Kind")
    PARENT = "parent", _("Ouder")
    SIBLING = "sibling", _("Broer of zus")
    OTHER = "other", _("Anders")
