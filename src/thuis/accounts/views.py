from __future__ import annotations

import base64
import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import qrcode
import qrcode.image.svg
from django_otp import login as otp_login

from thuis.audit import events
from thuis.core import ratelimit
from thuis.core.client_ip import client_ip
from thuis.core.errors import ValidationFailed, add_to_form

from . import scope, services
from .choices import Role
from .forms import ActivationForm, LoginForm, TokenForm, UserCreateForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role starts where its work is (the start page, `core:home`)."""
    role = getattr(request.user, "role", "")
    if role in {Role.REGISSEUR, Role.TEAMLEIDER}:
        return redirect("people:caseload")
    if role == Role.BEHEERDER:
        return redirect("audit:log")
    if role == Role.BELEIDSMEDEWERKER:
        return redirect("core:overview")
    if role == Role.PARTNER and getattr(request.user, "organisation_id", None):
        return redirect("partners:portal")
    return render(request, "core/no_access.html", status=403)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ratelimit.hit("login-ip", client_ip(request))
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["expired"] = self.request.GET.get("verlopen") == "1"
        return context

    def get_success_url(self) -> str:
        if settings.THUIS_2FA_REQUIRED:
            return _otp_url(self.get_redirect_url())
        return super().get_success_url()


def _otp_url(next_url: str) -> str:
    from django.urls import reverse

    url = reverse("accounts:otp")
    return f"{url}?next={next_url}" if next_url else url


# The session may link an authenticator app: an activation code was entered in it (user pk).
ENROL_SESSION_KEY = "thuis_enrolment_user"


@login_required
def otp_view(request: HttpRequest) -> HttpResponse:
    """Second factor: confirm a code. A user without a linked app first enters the one-time
    activation code from the beheerder; only then is a new secret shown (issue 15)."""
    user = request.user
    if request.method == "POST":
        ratelimit.hit("otp-user", str(user.pk))
        ratelimit.hit("otp-ip", client_ip(request))
    device = services.confirmed_totp_device(user=user)  # type: ignore[arg-type]
    may_enrol = device is None and request.session.get(ENROL_SESSION_KEY) == user.pk
    if device is None and not may_enrol:
        return _activation(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = services.totp_verify(
            user=user,  # type: ignore[arg-type]
            token=form.cleaned_data["token"],
            may_enrol=may_enrol,
        )
        if verified is not None:
            request.session.pop(ENROL_SESSION_KEY, None)
            otp_login(request, verified)
            return redirect(_next_url(request) or "core:home")
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de nieuwe code."))
    context: dict[str, object] = {"form": form, "setup": may_enrol}
    if may_enrol:
        new_device = services.totp_device_for_setup(user=user)  # type: ignore[arg-type]
        image = qrcode.make(new_device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        buffer = io.BytesIO()
        image.save(buffer)
        context["qr_data_uri"] = (
            "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
        )
        context["secret"] = base64.b32encode(new_device.bin_key).decode()
    return render(request, "accounts/otp.html", context)


def _next_url(request: HttpRequest) -> str:
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return ""
    return next_url


def _activation(request: HttpRequest) -> HttpResponse:
    """No linked app yet: the activation code first (the password alone shows no secret)."""
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.activation_code_redeem(user=request.user, code=form.cleaned_data["code"]):  # type: ignore[arg-type]
            request.session[ENROL_SESSION_KEY] = request.user.pk
            return redirect(request.get_full_path())
        form.add_error(
            "code",
            _(
                "Deze activeringscode klopt niet, is al gebruikt of is verlopen. "
                "Vraag de functioneel beheerder om een nieuwe code."
            ),
        )
    return render(request, "accounts/otp_activation.html", {"form": form})


class LogoutView(auth_views.LogoutView):
    pass


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: object = None
) -> HttpResponse:
    """django-axes' answer to a locked account (AXES_LOCKOUT_CALLABLE): 429, Retry-After."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    events.security_event(user=None, name="login_locked_out")
    page = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    page["Retry-After"] = str(minutes * 60)
    return page


# --- Beheer: users of the beheerder's own gemeenten ---------------------------------------------


def _require_beheerder(request: HttpRequest) -> None:
    if not scope.is_privacy_officer(request.user):
        raise PermissionDenied


def _managed_user(request: HttpRequest, pk: int) -> Any:
    return scope.get_for_user(
        scope.managed_users(request.user),
        pk,
        user=request.user,
        not_found=_("Deze gebruiker bestaat niet of valt niet onder uw gemeenten."),
        object_type="user",
    )


def _users_page(
    request: HttpRequest, form: UserCreateForm, shown: dict[str, Any] | None = None
) -> HttpResponse:
    users = (
        scope.managed_users(request.user)
        .select_related("team")
        .prefetch_related("municipalities")
        .order_by("username")
    )
    return render(
        request,
        "accounts/users.html",
        {
            "form": form,
            "users": users,
            "shown": shown,
            "activation_hours": settings.THUIS_ACTIVATION_CODE_HOURS,
        },
    )


@login_required
def users(request: HttpRequest) -> HttpResponse:
    """The beheerder's users: list, create (the activation code is shown once)."""
    _require_beheerder(request)
    form = UserCreateForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, code = services.user_create(
                by=request.user,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                municipalities=data["municipalities"],
                team=data["team"],
                password=data["password"],
            )
        except ValidationFailed as exc:
            add_to_form(form, exc)
        else:
            shown = {"user": user, "code": code, "created": True}
            return _users_page(request, UserCreateForm(by=request.user), shown)
    return _users_page(request, form)


@login_required
@require_POST
def user_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove the user's authenticator app and show a new activation code once."""
    _require_beheerder(request)
    user = _managed_user(request, pk)
    code = services.second_factor_reset(by=request.user, user=user)
    shown = {"user": user, "code": code, "created": False}
    return _users_page(request, UserCreateForm(by=request.user), shown)


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    _require_beheerder(request)
    user = _managed_user(request, pk)
    active = request.POST.get("actief") == "1"
    try:
        services.user_set_active(by=request.user, user=user, active=active)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        if active:
            messages.success(request, _("%(naam)s kan weer inloggen.") % {"naam": user.username})
        else:
            messages.success(
                request, _("%(naam)s kan niet meer inloggen.") % {"naam": user.username}
            )
    return redirect("accounts:users")
