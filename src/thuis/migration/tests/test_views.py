"""The web upload: a preview keeps nothing, confirming applies, batches are written by the
service and scoped to the beheerder's gemeenten."""

from __future__ import annotations

import io

import pytest

from thuis.accounts.choices import Role
from thuis.cases.models import IntegrationCase
from thuis.migration.models import ImportBatch
from thuis.tests import factories

pytestmark = pytest.mark.django_db


def test_import_preview_then_confirm(
    municipality, make_user, login, django_capture_on_commit_callbacks
) -> None:
    beheerder = login(make_user(Role.BEHEERDER, username="f"))
    bsn = factories.random_bsn(__import__("random").Random(3))
    text = (
        "bsn;geboortedatum;geslacht;geboorteland;doelgroep;plicht_start;koppeling;vestiging;"
        f"huishouden\n{bsn};1990-01-01;V;ER;asielstatushouder;2023-02-01;;;\n"
    )
    upload = io.BytesIO(text.encode())
    upload.name = "personen.csv"
    response = beheerder.post(
        "/monitor/import/", {"soort": "personen", "gemeente": "0148", "bestand": upload}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == "preview"
    assert batch.summary["personen_nieuw"] == 1
    assert not IntegrationCase.objects.exists()  # preview keeps nothing
    page = beheerder.get(f"/monitor/import/{batch.pk}/").content.decode()
    assert "Bevestigen en opslaan" in page and bsn not in page
    with django_capture_on_commit_callbacks(execute=True):
        beheerder.post(f"/monitor/import/{batch.pk}/", {"actie": "bevestigen"})
    batch.refresh_from_db()
    assert batch.status == "applied" and batch.content is None
    assert IntegrationCase.objects.count() == 1
    bad = io.BytesIO(b"bsn;geslacht\n1;Q\n")
    bad.name = "fout.csv"
    beheerder.post("/monitor/import/", {"soort": "personen", "gemeente": "0148", "bestand": bad})
    failed = ImportBatch.objects.filter(status="failed").get()
    assert failed.errors == [
        "Rij 1: de kolom(men) 'geboortedatum', 'geboorteland', 'doelgroep', 'plicht_start', "
        "'koppeling', 'vestiging', 'huishouden' ontbreken."
    ]
    regisseur = login(make_user(Role.REGISSEUR, username="r"))
    assert regisseur.get("/monitor/import/").status_code == 403


def test_a_batch_of_another_gemeente_is_not_found(
    municipality, other_municipality, make_user, login
) -> None:
    other = ImportBatch.objects.create(
        municipality_code=other_municipality.code,
        kind="personen",
        filename="p.csv",
        sha256="0" * 64,
        status="preview",
        content=b"x",
    )
    beheerder = login(make_user(Role.BEHEERDER, username="f"))
    assert beheerder.get(f"/monitor/import/{other.pk}/").status_code == 404
    assert beheerder.post(f"/monitor/import/{other.pk}/", {"actie": "annuleren"}).status_code == 404
    other.refresh_from_db()
    assert other.status == "preview"


def test_a_zip_bomb_upload_is_refused_in_dutch_within_two_seconds(
    municipality, make_user, login
) -> None:
    import time

    from thuis.tests.uploads import bomb

    beheerder = login(make_user(Role.BEHEERDER, username="f"))
    upload = io.BytesIO(bomb(300 * 2**20))
    upload.name = "personen.xlsx"
    started = time.perf_counter()
    response = beheerder.post(
        "/monitor/import/", {"soort": "personen", "gemeente": "0148", "bestand": upload}
    )
    assert time.perf_counter() - started < 2
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == "failed" and batch.content is None
    assert batch.errors[0].startswith("Het bestand is uitgepakt te groot (meer dan 200 MB)")
    page = beheerder.get(f"/monitor/import/{batch.pk}/").content.decode()
    assert "uitgepakt te groot" in page
