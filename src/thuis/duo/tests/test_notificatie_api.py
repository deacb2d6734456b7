"""POST /duo/v1/notificaties as Notificatie.openapi.yml says; every answer checked against it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from django.test import Client

import pytest

from thuis.audit.models import ProcessingRecord
from thuis.duo.choices import InboxStatus
from thuis.duo.models import DuoSignal, InboxMessage
from thuis.duo.specs import NOTIFICATIE_API_VERSION

from .conftest import DUO_OIN, GEMEENTE_OIN

URL = "/duo/v1/notificaties"
SERVER = "http://testserver/duo/v1"


def _post(
    client: Client,
    body: Any,
    *,
    bron: str | None = DUO_OIN,
    doel: str | None = GEMEENTE_OIN,
    bericht_id: str | None = None,
    content_type: str = "application/json",
) -> Any:
    headers = {"bron": bron, "doel": doel, "berichtId": bericht_id or str(uuid.uuid4())}
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.post(
        URL,
        raw,
        content_type=content_type,
        headers={k: v for k, v in headers.items() if v is not None},
    )


def _notification(bsn: str, code: str = "SS139") -> dict[str, str]:
    return {"registratieDatumTijd": "2026-03-02T09:15:00Z", "gebeurtenisId": code, "bsn": bsn}


@pytest.fixture
def conform(openapi: Callable[[str, str], Any]) -> Callable[[Any, bool], None]:
    """Check an answer (and, for valid calls, the request) against Notificatie.openapi.yml."""
    from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

    api = openapi("Notificatie", SERVER)

    def check(response: Any, request_valid: bool = False) -> None:
        request = DjangoOpenAPIRequest(response.wsgi_request)
        if request_valid:
            api.validate_request(request)
        api.validate_response(request, DjangoOpenAPIResponse(response))
        assert response["API-Version"] == NOTIFICATIE_API_VERSION

    return check


@pytest.mark.django_db
def test_notification_is_stored_and_answered_201(
    duo_settings: Any,
    conform: Callable[..., None],
    new_bsn: Callable[[], str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    bsn = new_bsn()
    bericht_id = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(Client(), _notification(bsn), bericht_id=bericht_id)
    assert response.status_code == 201
    assert response.content == b""
    conform(response, True)
    message = InboxMessage.objects.get()
    assert str(message.bericht_id) == bericht_id
    assert message.status == InboxStatus.RECEIVED
    assert json.loads(message.body)["bsn"] == bsn
    assert message.headers["bron"] == DUO_OIN
    assert "Cookie" not in message.headers
    assert len(callbacks) == 1  # processing is scheduled only after the commit
    record = ProcessingRecord.objects.get(object_type="duo_notificatie")
    assert record.actor_label.startswith("DUO")
    assert bsn not in record.data_subject_id


@pytest.mark.django_db
def test_repeated_bericht_id_is_accepted_once(
    duo_settings: Any,
    conform: Callable[..., None],
    new_bsn: Callable[[], str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    bericht_id = str(uuid.uuid4())
    body = _notification(new_bsn())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = _post(Client(), body, bericht_id=bericht_id)
        second = _post(Client(), body, bericht_id=bericht_id)
    assert (first.status_code, second.status_code) == (201, 201)
    conform(second, True)
    assert InboxMessage.objects.count() == 1
    assert len(callbacks) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "status", "fragment"),
    [
        ({"bron": None}, 400, "'bron' ontbreekt"),
        ({"doel": None}, 400, "'doel' ontbreekt"),
        ({"bericht_id": "niet-een-uuid"}, 400, "berichtId"),
        ({"bron": "0" * 20}, 401, "afzender"),
        ({"doel": "0" * 20}, 403, "niet voor deze gemeente"),
        ({"body": "{kapot"}, 400, "geen geldige JSON"),
        ({"body": {"gebeurtenisId": "SS139"}}, 400, "registratieDatumTijd"),
        (
            {"body": {"registratieDatumTijd": "2026-03-02T09:15:00Z", "bsn": "111222333"}},
            400,
            "gebeurtenisId",
        ),
        ({"bsn": "123456789"}, 400, "elfproef"),
        ({"content_type": "text/plain"}, 400, "Content-Type"),
    ],
)
def test_bad_notifications_get_the_specified_status_and_foutmelding(
    duo_settings: Any,
    conform: Callable[..., None],
    change: dict[str, Any],
    status: int,
    fragment: str,
) -> None:
    body = change.pop("body", None) or _notification(change.pop("bsn", "111222333"))
    response = _post(Client(), body, **change)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {"fouttekst"} and fragment in data["fouttekst"]
    assert len(data["fouttekst"]) <= 200
    conform(response)
    assert InboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_not_configured_is_503_with_foutmelding(
    settings: Any, conform: Callable[..., None]
) -> None:
    settings.THUIS_DUO_OIN = ""
    settings.THUIS_GEMEENTE_OIN = ""
    response = _post(Client(), _notification("111222333"))
    assert response.status_code == 503
    assert "niet ingericht" in response.json()["fouttekst"]
    conform(response)


@pytest.mark.django_db
def test_get_is_not_allowed(duo_settings: Any) -> None:
    response = Client().get(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response["API-Version"] == NOTIFICATIE_API_VERSION


@pytest.mark.django_db
def test_storage_failure_is_500_and_nothing_half_stored(
    duo_settings: Any, conform: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    from thuis.duo.services import inbox

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database weg")

    monkeypatch.setattr(inbox, "configured_municipality", broken)
    response = _post(Client(), _notification("111222333"))
    assert response.status_code == 500
    assert "opnieuw" in response.json()["fouttekst"]
    conform(response)
    assert InboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_unknown_bsn_for_an_existing_person_event_is_kept_and_shown(
    simulator: Any,
    sim_person: Callable[..., str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A valid BSN Thuis does not know, with an event that needs a case: stored, failed, signal."""
    bsn = sim_person()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(Client(), _notification(bsn, "SS199"))
    assert response.status_code == 201
    message = InboxMessage.objects.get()
    assert message.status == InboxStatus.FAILED
    assert "kent deze persoon niet" in message.error
    assert bsn not in message.error
    signal = DuoSignal.objects.get(inbox_message=message)
    assert signal.person is None and signal.code == "VERWERKING_MISLUKT"


@pytest.mark.django_db
def test_response_conformance_check_can_fail(
    duo_settings: Any, openapi: Callable[[str, str], Any]
) -> None:
    """Without the required API-Version header the spec check reports the answer."""
    from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

    response = _post(Client(), {"gebeurtenisId": "SS139"})
    del response["API-Version"]
    api = openapi("Notificatie", SERVER)
    with pytest.raises(Exception, match=r"(?i)api-version|header"):
        api.validate_response(
            DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
        )


CERT_HEADER = "X-SSL-Client-OIN"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("certificate_oin", "status"),
    [(DUO_OIN, 201), (None, 401), ("", 401), ("0" * 20, 401), (GEMEENTE_OIN, 401)],
)
def test_only_duos_certificate_oin_is_accepted(
    duo_settings: Any,
    conform: Callable[..., None],
    new_bsn: Callable[[], str],
    certificate_oin: str | None,
    status: int,
) -> None:
    """bron alone proves nothing: the proxy's header with the certificate's OIN must be DUO's."""
    duo_settings.THUIS_DUO_CLIENT_CERT_OIN_HEADER = CERT_HEADER
    headers = {} if certificate_oin is None else {CERT_HEADER: certificate_oin}
    response = Client(headers=headers).post(
        URL,
        json.dumps(_notification(new_bsn())),
        content_type="application/json",
        headers={"bron": DUO_OIN, "doel": GEMEENTE_OIN, "berichtId": str(uuid.uuid4())},
    )
    assert response.status_code == status
    conform(response)
    if status != 201:
        assert "certificaat" in response.json()["fouttekst"]
    assert InboxMessage.objects.count() == (1 if status == 201 else 0)


@pytest.mark.django_db
def test_production_without_certificate_header_stays_closed(
    duo_settings: Any, conform: Callable[..., None]
) -> None:
    duo_settings.THUIS_PRODUCTION = True
    duo_settings.THUIS_DUO_CLIENT_CERT_OIN_HEADER = ""
    response = _post(Client(), _notification("111222333"))
    assert response.status_code == 503
    assert "niet ingericht" in response.json()["fouttekst"]
    conform(response)
    assert InboxMessage.objects.count() == 0


def test_outside_production_the_certificate_check_is_off_by_default(settings: Any) -> None:
    """The local simulator sends no certificate: `make run` keeps working."""
    from thuis.duo import rules

    assert (
        rules.check_client_certificate(
            certificate_oin=None, duo_oin=DUO_OIN, header_configured=False, production=False
        )
        is None
    )


def test_system_check_requires_the_certificate_header_in_production(settings: Any) -> None:
    from thuis.duo.checks import client_certificate_header

    settings.THUIS_PRODUCTION = False
    settings.THUIS_DUO_CLIENT_CERT_OIN_HEADER = ""
    assert client_certificate_header() == []
    settings.THUIS_PRODUCTION = True
    assert [m.id for m in client_certificate_header()] == ["thuis.E201"]
    settings.THUIS_DUO_CLIENT_CERT_OIN_HEADER = CERT_HEADER
    assert client_certificate_header() == []


class _Unreadable:
    """A request stream that fails the test when anything reads it."""

    def read(self, *args: Any) -> bytes:
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.django_db
def test_body_over_the_limit_is_a_foutmelding_without_reading_it(
    duo_settings: Any, conform: Callable[..., None]
) -> None:
    """Django's own answer would be an HTML 400; the spec wants a Foutmelding and API-Version."""
    from django.conf import settings
    from django.test import RequestFactory

    from thuis.duo.views import notificaties

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps(_notification("111222333") | {"x": "a" * limit})[: limit + 1]
    response = _post(Client(), body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "te groot" in response.json()["fouttekst"]
    duo_settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None  # openapi-core reads the request body
    conform(response)
    duo_settings.DATA_UPLOAD_MAX_MEMORY_SIZE = limit
    assert InboxMessage.objects.count() == 0

    request = RequestFactory().post(
        URL,
        body,
        content_type="application/json",
        headers={"bron": DUO_OIN, "doel": GEMEENTE_OIN, "berichtId": str(uuid.uuid4())},
    )
    assert int(request.META["CONTENT_LENGTH"]) == limit + 1
    request._stream = _Unreadable()  # type: ignore[attr-defined]
    unread = notificaties(request)
    assert unread.status_code == 400 and unread["API-Version"] == NOTIFICATIE_API_VERSION


@pytest.mark.django_db
def test_body_at_the_limit_is_read(duo_settings: Any, new_bsn: Callable[[], str]) -> None:
    from django.conf import settings

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    raw = json.dumps(_notification(new_bsn()))
    raw = raw[:-1] + ', "x": "' + "a" * (limit - len(raw) - 9) + '"}'
    assert len(raw.encode()) == limit
    assert _post(Client(), raw).status_code == 201
