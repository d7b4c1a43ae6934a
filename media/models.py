"""Images, audio and video of heritage entries, with the credit and licence a public archive owes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtailmedia.models import AbstractMedia


class HeritageImage(AbstractImage):
    """A photograph or drawing, with who made it and under which licence it may be reused."""

    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit"), max_length=255, blank=True, help_text=_("Photographer or owner, as it must be printed.")
    )
    licence = models.CharField(
        _("licence"), max_length=100, blank=True, help_text=_("For example CC BY-SA 4.0, or 'All rights reserved'.")
    )
    date_taken = models.DateField(_("date taken"), null=True, blank=True)

    admin_form_fields = (
        *Image.admin_form_fields,
        "caption",
        "credit",
        "licence",
        "date_taken",
    )

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")
        permissions = [("choose_image", "Can choose image")]


class HeritageRendition(AbstractRendition):
    image = models.ForeignKey(HeritageImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class MediaLanguage(models.TextChoices):
    VIETNAMESE = "vi", _("Vietnamese")
    ENGLISH = "en", _("English")


class HeritageMedia(AbstractMedia):
    """An audio guide or a video, with its language and a transcript for those who cannot listen."""

    language = models.CharField(
        _("language"), max_length=8, choices=MediaLanguage.choices, default=MediaLanguage.VIETNAMESE
    )
    credit = models.CharField(_("credit"), max_length=255, blank=True)
    transcript = models.TextField(_("transcript"), blank=True)

    admin_form_fields = (
        "title",
        "file",
        "collection",
        "thumbnail",
        "language",
        "credit",
        "transcript",
        "tags",
    )

    class Meta(AbstractMedia.Meta):
        verbose_name = _("audio or video")
        verbose_name_plural = _("audio and video")
