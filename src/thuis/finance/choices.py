from django.db import models
from django.utils.translation import gettext_lazy as _

# Defined with the contracts (partners, below finance in the layers), which name a cost category.
from thuis.partners.choices import CostCategory as CostCategory


class BudgetSource(models.TextChoices):
    """Where the money comes from (SPUK Inburgering vs the Algemene Uitkering)."""

    SPUK_INBURGERING = "spuk_inburgering", _("SPUK inburgering")
    SPUK_ONDERWIJSROUTE = "spuk_onderwijsroute", _("SPUK onderwijsroute")
    ALGEMENE_UITKERING = "algemene_uitkering", _("Algemene uitkering (uitvoering)")
    OVERIG = "overig", _("Overig")


# Sources that the forecast computes from the expected inflow; the others are fixed lines.
PER_CAPITA_SOURCES = (BudgetSource.SPUK_INBURGERING, BudgetSource.SPUK_ONDERWIJSROUTE)
FIXED_SOURCES = (BudgetSource.ALGEMENE_UITKERING, BudgetSource.OVERIG)


class RateKind(models.TextChoices):
    """Amounts per inburgeringsplichtige (or per traject) that the gemeente receives."""

    SPUK_ASIEL = "spuk_asiel", _("SPUK per asielstatushouder")
    SPUK_GEZIN = "spuk_gezin", _("SPUK per gezins- of overige migrant")
    ONDERWIJSROUTE = "onderwijsroute", _("SPUK onderwijsroute per traject")


class CostOrigin(models.TextChoices):
    MANUAL = "manual", _("Ingevoerd")
    IMPORT = "import", _("Ingelezen")
    SEED = "seed", _("Demo")


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Voorbeeld (nog niet verwerkt)")
    DONE = "done", _("Verwerkt")
    REJECTED = "rejected", _("Afgekeurd")
