"""Organisation tokens become API keys of system accounts (`accounts.ApiToken`, issue 15).

A key is now scoped to one gemeente. A token of an organisation that works in exactly one
gemeente moves with its hash (the partner's system keeps working) and expires after
THUIS_API_TOKEN_DAYS; a token of an organisation in several gemeenten, or without one, cannot be
scoped safely and is not carried over: the beheerder makes a key per gemeente again
(docs/partners.md). Revoked tokens are not carried over.
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    OrganisationToken = apps.get_model("partners", "OrganisationToken")
    ApiToken = apps.get_model("accounts", "ApiToken")
    User = apps.get_model("accounts", "User")
    expires = timezone.now() + timedelta(days=settings.THUIS_API_TOKEN_DAYS)
    for token in OrganisationToken.objects.filter(revoked_at__isnull=True).select_related(
        "organisation"
    ):
        municipalities = list(token.organisation.municipalities.all())
        if len(municipalities) != 1:
            continue
        municipality = municipalities[0]
        account, made = User.objects.get_or_create(
            username=f"systeem-partner-verwijzingen-org{token.organisation_id}-gm{municipality.pk}",
            defaults={
                "role": "partner",
                "organisation_id": token.organisation_id,
                "is_system_account": True,
                "last_name": "(systeemaccount)",
                "password": "!migrated",  # unusable: no login, only the key
            },
        )
        if made:
            account.municipalities.set([municipality])
        ApiToken.objects.create(
            account=account,
            municipality=municipality,
            purpose="partner-verwijzingen",
            name=token.name,
            prefix=token.prefix,
            key_hash=token.key_hash,
            expires_at=expires,
            last_used_at=token.last_used_at,
            created_by_id=token.created_by_id,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0006_infra_messages"),
        ("accounts", "0004_api_tokens"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="OrganisationToken"),
    ]
