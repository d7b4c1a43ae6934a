"""Admin upload forms for images, audio and video, and documents, with the checks of ``media.validators``.

Settings point Wagtail and wagtailmedia at these bases (``WAGTAILIMAGES_IMAGE_FORM_BASE``,
``WAGTAILDOCS_DOCUMENT_FORM_BASE``, ``WAGTAILMEDIA["MEDIA_FORM_BASE"]``), so every upload view uses
them: the single and multiple uploaders, the choosers' upload tabs and the edit views.
"""

import copy

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtailmedia.forms import BaseMediaForm

from . import validators


def _new_upload(value):
    return value if isinstance(value, UploadedFile) else None


class HeritageImageField(WagtailImageField):
    """Wagtail's image field, made safe against files it lets through to an error page.

    Wagtail reads the size of a picture by decoding it (Willow 1.12 calls Pillow's ``load()``), so a
    truncated file raised ``OSError`` out of the form: a server error. The pixel count is now read
    from the header first, so a decompression bomb is refused before anything is decoded, and a
    picture that fails to decode is refused with a message.
    """

    def to_python(self, data):
        if data is not None and hasattr(data, "read"):
            validators.check_image_header(data, self.max_image_pixels)
        try:
            return super().to_python(data)
        except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as error:
            raise ValidationError(
                _("This image is damaged or incomplete (%(reason)s). Upload the complete file again."),
                code="invalid_image",
                params={"reason": str(error)[:120]},
            ) from error


class HeritageImageForm(BaseImageForm):
    file = HeritageImageField(label=_("File"), widget=copy.deepcopy(BaseImageForm._meta.widgets["file"]))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if _new_upload(upload):
            validators.check_image_upload(upload)
        return upload


class HeritageMediaForm(BaseMediaForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if _new_upload(upload):
            validators.check_media_upload(upload, self.instance.type)
        return upload

    def clean_thumbnail(self):
        upload = self.cleaned_data.get("thumbnail")
        if _new_upload(upload):
            validators.check_thumbnail_upload(upload)
        return upload

    def clean_captions(self):
        upload = self.cleaned_data.get("captions")
        if _new_upload(upload):
            validators.check_captions_upload(upload)
        return upload


class HeritageDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if _new_upload(upload):
            validators.check_document_upload(upload)
        return upload
