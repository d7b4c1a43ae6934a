"""Images, audio and video of heritage entries, with the credit and licence a public archive owes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.search import index
from wagtailmedia.models import AbstractMedia

from .exif import read_exif
from .renditions import PublicRenditionFilter


class HeritageImage(AbstractImage):
    """A photograph or drawing, with who made it and under which licence it may be reused."""

    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit"), max_length=255, blank=True, help_text=_("Photographer or owner, as it must be printed.")
    )
    licence = models.CharField(
        _("licence"), max_length=100, blank=True, help_text=_("For example CC BY-SA 4.0, or 'All rights reserved'.")
    )
    date_taken = models.DateField(
        _("date taken"), null=True, blank=True, help_text=_("Read from the camera's data when left empty.")
    )
    # Where the camera says the picture was taken: for editors only. Public renditions drop it.
    camera_latitude = models.DecimalField(
        _("camera latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Read from the camera's data; never published with the picture."),
    )
    camera_longitude = models.DecimalField(_("camera longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    admin_form_fields = (
        *Image.admin_form_fields,
        "caption",
        "credit",
        "licence",
        "date_taken",
        "camera_latitude",
        "camera_longitude",
    )

    def _set_image_file_metadata(self):
        super()._set_image_file_metadata()
        self.read_camera_data()

    def read_camera_data(self):
        """Fill the date taken and the camera position from the file's EXIF, keeping what an editor typed."""
        data = read_exif(self.file)
        if self.date_taken is None and data.date_taken:
            self.date_taken = data.date_taken
        if self.camera_latitude is None and data.latitude is not None:
            self.camera_latitude = data.latitude
            self.camera_longitude = data.longitude

    def generate_rendition_file(self, filter, *, source=None):
        # Every rendition, whatever template or view asks for it, loses the camera's position.
        return super().generate_rendition_file(PublicRenditionFilter(spec=filter.spec), source=source)

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
    transcript = models.TextField(
        _("transcript"), blank=True, help_text=_("Shown under the player and searched with the entry.")
    )
    captions = models.FileField(
        _("captions (WebVTT)"),
        upload_to="media_captions",
        blank=True,
        help_text=_("Subtitles for a video, as a .vtt file in the video's language."),
    )

    admin_form_fields = (
        "title",
        "file",
        "collection",
        "thumbnail",
        "language",
        "credit",
        "transcript",
        "captions",
        "tags",
    )
    search_fields = [*AbstractMedia.search_fields, index.SearchField("transcript")]

    class Meta(AbstractMedia.Meta):
        verbose_name = _("audio or video")
        verbose_name_plural = _("audio and video")
