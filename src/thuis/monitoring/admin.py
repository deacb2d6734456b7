from django.contrib import admin

from .models import HousingQuota


@admin.register(HousingQuota)
class HousingQuotaAdmin(admin.ModelAdmin):
    list_display = ("municipality", "period", "persons", "source")
    list_filter = ("municipality",)
