"""Optional two-factor sign-in to the admin with an authenticator app (TOTP, through django-otp).

A staff member who has set up an authenticator (``/admin/2fa/setup/``) is asked for its six-digit
code after their password before any admin page opens (``/admin/2fa/verify/``). With
``TWO_FACTOR_REQUIRED`` every admin user must set one up first. The codes are checked by
django-otp, which also slows down repeated wrong codes.

Setting up an authenticator also gives ten backup codes (django-otp's static tokens), shown once:
each opens the admin once when the phone is lost. ``/admin/2fa/backup-codes/`` tells how many are
left and replaces them all with new ones.
"""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODES = 10
VERIFY_PATH = "/admin/2fa/verify/"
SETUP_PATH = "/admin/2fa/setup/"
OPEN_PATHS = (VERIFY_PATH, SETUP_PATH, "/admin/login/", "/admin/logout/", "/admin/password_reset/", "/admin/jsi18n/")


class TwoFactorMiddleware:
    """After OTPMiddleware: admin pages need a verified second factor from users who have one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.path.startswith("/admin/")
            and not request.path.startswith(OPEN_PATHS)
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
        ):
            if user_has_device(user):
                return redirect(f"{VERIFY_PATH}?next={request.get_full_path()}")
            if getattr(settings, "TWO_FACTOR_REQUIRED", False):
                return redirect(SETUP_PATH)
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app, or a backup code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/admin/"
    return target


@login_required(login_url="/admin/login/")
def verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("token", _("This code is wrong or has expired."))
    return TemplateResponse(
        request,
        "heritage/twofactor.html",
        {"form": form, "next": _next(request), "title": _("Two-step sign-in")},
    )


@login_required(login_url="/admin/login/")
def setup(request):
    """Show a new authenticator key as a QR code, and switch it on once a code from it is entered."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save()
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            return _show_backup_codes(request, new_backup_codes(request.user))
        form.add_error("token", _("This code is wrong or has expired."))
    context = {
        "form": form,
        "title": _("Set up two-step sign-in"),
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4),
        "secret": b32encode(device.bin_key).decode(),
        "setup": True,
    }
    return TemplateResponse(request, "heritage/twofactor.html", context)


def new_backup_codes(user):
    """Replace the user's backup codes with ``BACKUP_CODES`` new ones; returns them (they are shown once)."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _show_backup_codes(request, codes):
    context = {"title": _("Backup codes"), "codes": codes, "remaining": len(codes)}
    return TemplateResponse(request, "heritage/twofactor_backup_codes.html", context)


@login_required(login_url="/admin/login/")
def backup_codes(request):
    """How many backup codes are left; a POST replaces them all (the middleware has asked for a
    second factor first, so only someone who passed it can see new codes)."""
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(SETUP_PATH)
    if request.method == "POST":
        return _show_backup_codes(request, new_backup_codes(request.user))
    remaining = StaticToken.objects.filter(device__user=request.user, device__confirmed=True).count()
    context = {"title": _("Backup codes"), "codes": [], "remaining": remaining}
    return TemplateResponse(request, "heritage/twofactor_backup_codes.html", context)


urlpatterns = [
    path("admin/2fa/verify/", verify, name="twofactor_verify"),
    path("admin/2fa/setup/", setup, name="twofactor_setup"),
    path("admin/2fa/backup-codes/", backup_codes, name="twofactor_backup_codes"),
]
