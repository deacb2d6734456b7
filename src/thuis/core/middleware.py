from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class NoStoreMiddleware:
    """Pages and API answers may hold personal data: browsers and proxies must not keep them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response


#: Characters no query or path of Thuis holds: NUL and the other C0 controls. A form value may
#: hold them (text pasted from elsewhere) except NUL, which no database text column takes.
_CONTROL = {chr(c) for c in range(32)} | {"\x7f"}
RAW_BODY_PREFIXES = ("/api/", "/duo/")


class BadInputMiddleware:
    """Refuse malformed input before any view (issue 15: never a 500 on bad input).

    A NUL byte or another control character in the path or a query parameter, a NUL byte in a
    form field, or a query value longer than THUIS_MAX_QUERY_VALUE answers 400: problem+json
    under /api/, the "Ongeldige invoer" page elsewhere. Nothing is read or changed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = self._problem(request)
        if problem is not None:
            return self._refuse(request, *problem)
        return self.get_response(request)

    @staticmethod
    def _problem(request: HttpRequest) -> tuple[str, str] | None:
        from django.conf import settings

        longest = settings.THUIS_MAX_QUERY_VALUE
        if any(c in _CONTROL for c in request.path):
            return "pad", "Het adres bevat een teken dat niet is toegestaan."
        for key, values in request.GET.lists():
            for value in [key, *values]:
                if any(c in _CONTROL for c in value):
                    return key[:50] or "pad", "Deze waarde bevat een teken dat niet is toegestaan."
                if len(value) > longest:
                    return key[:50], f"Deze waarde is te lang (meer dan {longest} tekens)."
        # Form fields of web pages only: the API and the DUO endpoint read their own body (JSON,
        # whose text fields refuse NUL), and parsing it here would take the stream from them.
        if (
            request.method == "POST"
            and not request.path.startswith(RAW_BODY_PREFIXES)
            and request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}
        ):
            try:
                items = list(request.POST.lists())
            except Exception:
                return None
            for key, values in items:
                for value in [key, *values]:
                    if "\x00" in value:
                        return key[:50], "Deze waarde bevat een teken dat niet is toegestaan."
        return None

    @staticmethod
    def _refuse(request: HttpRequest, name: str, reason: str) -> HttpResponse:
        from django.shortcuts import render

        from .errors import problem_response

        if request.path.startswith("/api/"):
            return problem_response(  # type: ignore[no-any-return]
                400,
                detail="De invoer is niet geldig.",
                instance=request.path if name != "pad" else "",
                invalid_params=[{"name": name, "reason": reason}],
            )
        return render(request, "400.html", {"reason": reason}, status=400)
