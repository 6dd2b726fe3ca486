"""Optional second factor at sign-in: a time-based code (TOTP) from an authenticator app.

Built on django-otp (TOTPDevice for the app, StaticDevice for ten single-use recovery codes).
Anyone signed in may turn it on from their account (it is offered to coordinators and
administrators from the administration's account menu); TWO_FACTOR_REQUIRED_FOR_SUPERUSERS makes
it compulsory for administrators before they reach the administration.

How sign-in works with it: the password step is unchanged (the site's or Wagtail's login form,
throttled by django-axes). `TwoFactorMiddleware` then sends a person who has a confirmed device
and whose session is not yet verified to the code page, whatever address they ask for (the
administration included), until a valid code is given; the session key is rotated on success.
Whether the person has a device is read with the person on every request
(`TwoFactorModelBackend`, no extra query), so a session opened before they turned it on (in
another browser, say) is asked for the code at its next request, not at its next sign-in.
Wrong codes are throttled by django-otp (1, 2, 4, 8... seconds between attempts, reset on
success) and the session is signed out after MAX_FAILURES wrong codes. An administrator can
remove someone's devices with `manage.py reset_two_factor USERNAME` when codes are lost.
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in
from django.db.models import Exists, OuterRef
from django.dispatch import receiver
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import LazyObject, empty
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

FAILURES_KEY = "_cop_2fa_failures"
MAX_FAILURES = 10
RECOVERY_CODES = 10
# Views reachable while the second step is pending (by URL name).
PENDING_ALLOWED = {"operations:two_factor_verify", "logout", "wagtailadmin_logout", "set_language"}


def confirmed_devices(user):
    return [
        *TOTPDevice.objects.devices_for_user(user, confirmed=True),
        *StaticDevice.objects.devices_for_user(user, confirmed=True),
    ]


def is_enrolled(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


# Set by `TwoFactorModelBackend` on the signed-in user: has this person a confirmed device now?
ENROLLED_ATTRIBUTE = "cop_two_factor_enrolled"


class TwoFactorModelBackend(ModelBackend):
    """Django's ModelBackend, whose user of each request also says whether the person has a
    confirmed authenticator device, read in the same query as the user."""

    def get_user(self, user_id):
        UserModel = get_user_model()
        enrolled = Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True))
        try:
            user = UserModel._default_manager.annotate(**{ENROLLED_ATTRIBUTE: enrolled}).get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def _has_device_now(user):
    enrolled = getattr(user, ENROLLED_ATTRIBUTE, None)
    if enrolled is None:  # a user loaded some other way
        enrolled = is_enrolled(user)
    return enrolled


@receiver(user_logged_in)
def forget_failures(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(FAILURES_KEY, None)


def _real(user):
    """The user object behind request.user (django-otp wraps Django's lazy user in another lazy
    object, which Wagtail's audit log would not recognise as a user)."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def _is_verified(user):
    return getattr(user, "is_verified", lambda: False)()


def _url_name(request):
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


class TwoFactorMiddleware:
    """Hold a signed-in person at the code page until their second factor is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _is_verified(user):
            response = self.gate(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def gate(self, request, user):
        if request.path_info.startswith(settings.STATIC_URL):
            return None
        # Read on every request, not remembered from the sign-in: a session opened before the
        # person turned it on is held too.
        if _has_device_now(user):
            if _url_name(request) in PENDING_ALLOWED:
                return None
            return redirect(f"{reverse('operations:two_factor_verify')}?{_next_query(request)}")
        if (
            user.is_superuser
            and getattr(settings, "TWO_FACTOR_REQUIRED_FOR_SUPERUSERS", False)
            and request.path_info.startswith(("/admin/", "/django-admin/"))
            and _url_name(request) not in PENDING_ALLOWED
        ):
            messages.warning(
                request, _("Administrators must turn on two-step sign-in before using the administration.")
            )
            return redirect("operations:two_factor_setup")
        return None


def _next_query(request):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query["next"] = request.get_full_path()
    return query.urlencode()


def _safe_next(request, default="/"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy(
            "The 6-digit code shown by your authenticator app, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


def _invalid():
    return _("This code is not valid. Check the time on your phone and try again.")


def _throttle_message(device):
    allowed, details = device.verify_is_allowed()
    if allowed or not details or "locked_until" not in details:
        return ""
    from django.utils import timezone

    seconds = max(1, int((details["locked_until"] - timezone.now()).total_seconds()) + 1)
    return _("Too many wrong codes: wait %(seconds)s seconds, then try again.") % {"seconds": seconds}


def _check_code(user, code):
    """(device that accepted the code or None, message saying to wait or "").

    Six digits are checked against the app, anything else against the recovery codes; each
    device counts its own failures (django-otp's throttling).
    """
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    token = code
    if device is None or not (code.isdigit() and len(code) == device.digits):
        device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
        token = code.lower()
    if device is None:
        return None, ""
    waiting = _throttle_message(device)
    if waiting:  # refused without even looking at the code
        return None, waiting
    return (device if device.verify_token(token) else None), ""


@never_cache
@sensitive_post_parameters("code")
def verify(request):
    """The second step of sign-in: a code from the app or a recovery code."""
    user = request.user
    if not user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    if _is_verified(user):
        return redirect(_safe_next(request))
    if not is_enrolled(user):  # turned off (or reset by an administrator) meanwhile
        return redirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, waiting = _check_code(user, form.cleaned_data["code"])
        if device is not None:
            request.session.cycle_key()  # a new session key once fully signed in
            otp_login(request, device)
            request.session.pop(FAILURES_KEY, None)
            if isinstance(device, StaticDevice):
                remaining = {"count": device.token_set.count()}
                note = _("Recovery code used; %(count)s remain. Make new ones from your account if needed.")
                messages.warning(request, note % remaining)
            return redirect(_safe_next(request))
        failures = request.session.get(FAILURES_KEY, 0) + 1
        request.session[FAILURES_KEY] = failures
        log(_real(user), "cop.two_factor.failed", user=_real(user))
        if failures >= MAX_FAILURES:
            logout(request)
            messages.error(request, _("Too many wrong codes: you have been signed out. Sign in again."))
            return redirect(settings.LOGIN_URL)
        form.add_error("code", waiting or _invalid())
    return render(
        request,
        "operations/two_factor_verify.html",
        {"form": form, "next": _safe_next(request, default="")},
        status=400 if form.errors else 200,
    )


def _qr_data_uri(url):
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _secret_for_display(device):
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def new_recovery_codes(user):
    """Replace the person's recovery codes with ten new ones; return them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@never_cache
def account(request):
    """Two-step sign-in status, with the ways to turn it on or off and renew recovery codes."""
    enrolled = is_enrolled(request.user)
    remaining = StaticToken.objects.filter(device__user=request.user).count() if enrolled else 0
    return render(
        request,
        "operations/two_factor_account.html",
        {"enrolled": enrolled, "remaining": remaining, "form": CodeForm()},
    )


@never_cache
@sensitive_post_parameters("code")
def setup(request):
    """Turn on two-step sign-in: scan the QR code (or type the key), then confirm with a code."""
    user = request.user
    if is_enrolled(user):
        return redirect("operations:two_factor_account")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        waiting = _throttle_message(device)
        if not waiting and device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            codes = new_recovery_codes(user)
            otp_login(request, device)
            log(_real(user), "cop.two_factor.enable", user=_real(user))
            return render(request, "operations/two_factor_codes.html", {"codes": codes, "new": True})
        form.add_error("code", waiting or _invalid())
    return render(
        request,
        "operations/two_factor_setup.html",
        {"form": form, "qr": _qr_data_uri(device.config_url), "secret": _secret_for_display(device)},
        status=400 if form.errors else 200,
    )


@never_cache
@sensitive_post_parameters("code")
def disable(request):
    """Turn two-step sign-in off; a current code (or recovery code) is asked again."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CodeForm(request.POST)
    if form.is_valid():
        device, waiting = _check_code(request.user, form.cleaned_data["code"])
        if device is not None:
            TOTPDevice.objects.filter(user=request.user).delete()
            StaticDevice.objects.filter(user=request.user).delete()
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            log(_real(request.user), "cop.two_factor.disable", user=_real(request.user))
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("operations:two_factor_account")
        form.add_error("code", waiting or _invalid())
    return render(
        request,
        "operations/two_factor_account.html",
        {
            "enrolled": True,
            "form": form,
            "remaining": StaticToken.objects.filter(device__user=request.user).count(),
        },
        status=400,
    )


@never_cache
def recovery_codes(request):
    """Make ten new recovery codes (the old ones stop working) and show them once."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not is_enrolled(request.user):
        return redirect("operations:two_factor_account")
    codes = new_recovery_codes(request.user)
    return render(request, "operations/two_factor_codes.html", {"codes": codes, "new": False})
