"""Audio guides of an entry: a recording from the media library per language and length."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from media.models import MediaLanguage

from .pages import HeritagePage


class GuideLength(models.TextChoices):
    SHORT = "short", _("Short (about a minute)")
    LONG = "long", _("Long (the full story)")


class EntryAudioGuide(Orderable):
    """A recorded guide to an entry, played on the page a plaque's QR code opens."""

    page = ParentalKey(HeritagePage, on_delete=models.CASCADE, related_name="audio_guides")
    media = models.ForeignKey(
        "media.HeritageMedia",
        on_delete=models.PROTECT,
        related_name="guide_links",
        limit_choices_to={"type": "audio"},
        verbose_name=_("recording"),
    )
    language = models.CharField(_("language"), max_length=8, choices=MediaLanguage.choices)
    length = models.CharField(_("length"), max_length=8, choices=GuideLength.choices, default=GuideLength.SHORT)

    panels = [FieldPanel("media"), FieldRowPanel([FieldPanel("language"), FieldPanel("length")])]

    class Meta(Orderable.Meta):
        verbose_name = _("audio guide")
        verbose_name_plural = _("audio guides")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language", "length"], name="unique_audio_guide_per_language_length"
            )
        ]

    def __str__(self):
        return f"{self.get_language_display()} – {self.get_length_display()}"
