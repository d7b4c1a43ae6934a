"""Plaque codes: the permanent short codes printed on QR plaques, old codes, and scan counts."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .taxonomy import Commune

_SPACES = re.compile(r"\s+")


_NOT_ALNUM = re.compile(r"[\W_]+")


def normalize_legacy(text):
    """An old printed code as stored: NFC, no spaces, capitals; paths keep their case."""
    text = _SPACES.sub("", unicodedata.normalize("NFC", text or ""))
    return text if text.startswith("/") else text.upper()


def legacy_key(text):
    """What an old code is looked up by: ``dt 12``, ``DT-12`` and ``DT.12`` are one code."""
    text = normalize_legacy(text)
    return text if text.startswith("/") else _NOT_ALNUM.sub("", text)


class PlaqueSequence(models.Model):
    """The last number given out under one prefix; it only grows, so no number is ever reused."""

    prefix = models.CharField(_("prefix"), max_length=8, unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("plaque code sequence")

    def __str__(self):
        return f"{self.prefix}: {self.last_number}"


class PlaqueCode(models.Model):
    """The permanent short code of an entry (``KM-0123``), given on first publication and never changed.

    The code outlives its page: when the entry is deleted the row stays, with the last title it
    had, so the printed plaque still opens a helpful page and the number is never given again.
    """

    code = models.CharField(_("code"), max_length=16, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    number = models.PositiveIntegerField(_("number"))
    page = models.OneToOneField(
        "heritage.HeritagePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plaque_code",
        verbose_name=_("entry"),
    )
    commune = models.ForeignKey(
        Commune,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plaque_codes",
        verbose_name=_("commune"),
    )
    title = models.CharField(_("last known title"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["prefix", "number"]
        constraints = [models.UniqueConstraint(fields=["prefix", "number"], name="unique_plaque_number")]
        verbose_name = _("plaque code")
        verbose_name_plural = _("plaque codes")

    def __str__(self):
        return self.code


class LegacyPlaqueCode(models.Model):
    """A code or address printed by an earlier QR programme, leading to an entry of the archive."""

    old_code = models.CharField(
        _("printed code or path"),
        max_length=255,
        unique=True,
        help_text=_(
            "The code as printed (for example DT-12), or the path of the old address starting with / "
            "(for example /di-tich/chi-tiet.php?id=12)."
        ),
    )
    key = models.CharField(_("lookup key"), max_length=255, unique=True, editable=False)
    page = models.ForeignKey(
        "heritage.HeritagePage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="legacy_plaque_codes",
        verbose_name=_("entry"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True, help_text=_("Which programme printed it, where."))

    panels = [FieldPanel("old_code"), FieldPanel("page"), FieldPanel("note")]

    class Meta:
        ordering = ["old_code"]
        verbose_name = _("old plaque code")
        verbose_name_plural = _("old plaque codes")

    def __str__(self):
        return self.old_code

    def save(self, *args, **kwargs):
        self.old_code = normalize_legacy(self.old_code)
        self.key = legacy_key(self.old_code)
        super().save(*args, **kwargs)

    @property
    def is_path(self):
        return self.old_code.startswith("/")

    def clean(self):
        if not self.page_id:
            raise ValidationError({"page": _("Choose the entry the old code leads to.")})
        self.old_code = normalize_legacy(self.old_code)
        self.key = legacy_key(self.old_code)
        if not self.key:
            raise ValidationError({"old_code": _("Enter the code or path printed on the old plaque.")})
        if LegacyPlaqueCode.objects.filter(key=self.key).exclude(pk=self.pk).exists():
            raise ValidationError({"old_code": _("This old code is already registered.")})
        if not self.is_path and PlaqueCode.objects.filter(code=self.old_code, page__isnull=False).exists():
            raise ValidationError({"old_code": _("This code already belongs to an entry of the archive.")})


class PlaqueScanDay(models.Model):
    """How many times a plaque was scanned on one day: a counter, with nothing about who scanned it."""

    plaque = models.ForeignKey(PlaqueCode, on_delete=models.CASCADE, related_name="scan_days")
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("scans"), default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["plaque", "day"], name="unique_plaque_scan_day")]
        verbose_name = _("plaque scans on a day")
        verbose_name_plural = _("plaque scans per day")

    def __str__(self):
        return f"{self.plaque} {self.day}: {self.count}"
