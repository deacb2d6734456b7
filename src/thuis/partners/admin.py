"""Django admin (superusers only) for the partners' reference data: organisations, contracts."""

from django.contrib import admin

from .models import Contract, Organisation, OrganisationContact


class ContactInline(admin.TabularInline):
    model = OrganisationContact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "quality"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]
    inlines = [ContactInline]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["organisation", "product", "unit", "price", "start_date", "end_date"]
    list_filter = ["unit", "referral_type"]
