"""Checks on uploaded files: what a file is comes from its content, never from its name.

Wagtail's image field already compares an image's extension with the format Willow reads, caps the
file size (``WAGTAILIMAGES_MAX_UPLOAD_SIZE``) and the pixel count (``WAGTAILIMAGES_MAX_IMAGE_PIXELS``),
and refuses SVG unless ``svg`` is in ``WAGTAILIMAGES_EXTENSIONS`` (it is not). What it leaves out is
checked here: that the whole picture decodes (a truncated upload would fail later, on a visitor's
request), that the file is not two formats at once (a picture that is also a ZIP archive, a PDF or a
web page), and the same questions for audio, video, caption and document uploads, which Wagtail and
wagtailmedia accept on their extension alone.
"""

import os
import warnings
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage

CHUNK = 1024 * 1024
# What a browser or a PDF reader looks for near the start of a file to treat it as a page or a PDF.
HEAD_MARKERS = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<svg",
    b"<iframe",
    b"<?xml",
    b"<?php",
    b"%pdf-",
)
# Markers looked for in the whole file: long enough that compressed picture or sound data does not
# contain them by chance (about one file in 2^26 of 20 MB for "<script").
ANYWHERE_MARKERS = (b"<script", b"<?php", b"javascript:")
HEAD_SIZE = 1024

# Formats an extension may hold, as ``filetype`` names them by their content.
AUDIO_TYPES = {
    "aac": {"audio/aac", "audio/mp4", "audio/x-m4a"},
    "aiff": {"audio/x-aiff"},
    "flac": {"audio/x-flac"},
    "m4a": {"audio/mp4", "audio/x-m4a", "video/mp4"},
    "m4b": {"audio/mp4", "audio/x-m4a", "video/mp4"},
    "mp3": {"audio/mpeg"},
    "ogg": {"audio/ogg", "audio/opus"},
    "opus": {"audio/ogg", "audio/opus"},
    "wav": {"audio/x-wav"},
}
VIDEO_TYPES = {
    "m4v": {"video/x-m4v", "video/mp4"},
    "mov": {"video/quicktime", "video/mp4"},
    "mp4": {"video/mp4", "video/x-m4v", "video/quicktime"},
    "mpeg": {"video/mpeg"},
    "mpg": {"video/mpeg"},
    "ogv": {"video/ogg", "audio/ogg"},
    "webm": {"video/webm"},
    "mkv": {"video/x-matroska", "video/webm"},
}
THUMBNAIL_TYPES = {"jpg": {"image/jpeg"}, "jpeg": {"image/jpeg"}, "png": {"image/png"}, "webp": {"image/webp"}}
DOCUMENT_TYPES = {
    "pdf": {"application/pdf"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
    # Office and OpenDocument files are ZIP archives; filetype names some of them precisely.
    "docx": {"application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    "xlsx": {"application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    "odt": {"application/zip", "application/vnd.oasis.opendocument.text"},
    "zip": {"application/zip"},
}
TEXT_EXTENSIONS = {"csv", "txt"}
ARCHIVE_EXTENSIONS = {"docx", "xlsx", "odt", "zip"}
MEDIA_MAX_UPLOAD_SIZE_DEFAULT = 200 * 1024 * 1024
CAPTIONS_MAX_UPLOAD_SIZE = 1024 * 1024


def extension_of(upload):
    return os.path.splitext(upload.name or "")[1].lower().lstrip(".")


def read_head(upload, size=HEAD_SIZE):
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def iter_chunks(upload, overlap=16):
    """The file's content in chunks that overlap, so a marker split by a chunk border is still found."""
    upload.seek(0)
    tail = b""
    while chunk := upload.read(CHUNK):
        yield tail + chunk
        tail = chunk[-overlap:]
    upload.seek(0)


def sniff(upload):
    """The MIME type the content announces, or None."""
    kind = filetype.guess(read_head(upload, 8192))
    return kind.mime if kind else None


def check_size(upload, limit):
    if limit is not None and upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("This file is too big (%(size)s). The largest file accepted is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )


def check_single_format(upload, *, allow_archive=False, own_markers=()):
    """Refuse a file that is also a web page, a script, a PDF or (unless expected) a ZIP archive."""
    head = read_head(upload).lower()
    markers = [marker for marker in HEAD_MARKERS if marker in head and marker not in own_markers]
    if not markers:
        for chunk in iter_chunks(upload):
            lowered = chunk.lower()
            markers = [marker for marker in ANYWHERE_MARKERS if marker in lowered]
            if markers:
                break
    if not allow_archive and not markers:
        upload.seek(0)
        # ZIP readers find an archive by its end record, wherever the rest of the file starts.
        if zipfile.is_zipfile(upload):
            markers = [b"zip"]
        upload.seek(0)
    if markers:
        raise ValidationError(
            _("This file is two formats at once (it also holds %(other)s), so it is refused."),
            code="polyglot",
            params={"other": markers[0].decode("ascii").strip("<%?-:")},
        )


def check_image_decodes(upload):
    """Decode every pixel once, so that a truncated or corrupt picture is refused now, not on a visitor's request."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(upload) as picture:
                for frame in range(getattr(picture, "n_frames", 1)):
                    picture.seek(frame)
                    picture.load()
    except (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError) as error:
        raise ValidationError(
            _("This image has too many pixels to be opened safely."), code="file_too_many_pixels"
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as error:
        raise ValidationError(
            _("This image is damaged or incomplete (%(reason)s). Upload the complete file again."),
            code="invalid_image",
            params={"reason": str(error)[:120]},
        ) from error
    finally:
        upload.seek(0)


def check_image_header(upload, max_pixels):
    """Refuse a picture with too many pixels from its header alone, before anything is decoded."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(upload) as picture:
                width, height = picture.size
                frames = getattr(picture, "n_frames", 1)
    except PILImage.DecompressionBombError as error:
        raise ValidationError(
            _("This image has too many pixels to be opened safely."), code="file_too_many_pixels"
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError):
        return  # Not a picture Pillow knows (SVG, or not an image): Wagtail's own checks say so.
    finally:
        upload.seek(0)
    if max_pixels and width * height * frames > max_pixels:
        raise ValidationError(
            _("This image has too many pixels (%(pixels)s). The most accepted is %(limit)s."),
            code="file_too_many_pixels",
            params={"pixels": width * height * frames, "limit": max_pixels},
        )


def check_image_upload(upload):
    """The checks Wagtail's image field does not do; run after it, so bombs are already refused."""
    check_single_format(upload)
    check_image_decodes(upload)


def check_content_type(upload, allowed_types, description):
    """The content must be one of the formats its extension stands for."""
    extension = extension_of(upload)
    if extension not in allowed_types:
        raise ValidationError(
            _("Files ending in .%(extension)s are not accepted as %(description)s. Accepted: %(accepted)s."),
            code="invalid_extension",
            params={
                "extension": extension or "?",
                "description": description,
                "accepted": ", ".join(sorted(allowed_types)),
            },
        )
    found = sniff(upload)
    if found not in allowed_types[extension]:
        raise ValidationError(
            _("This file is not a real .%(extension)s file: its content is %(found)s."),
            code="content_mismatch",
            params={"extension": extension, "found": found or _("not a known format")},
        )


def media_max_upload_size():
    return getattr(settings, "MEDIA_MAX_UPLOAD_SIZE", MEDIA_MAX_UPLOAD_SIZE_DEFAULT)


def check_media_upload(upload, media_type):
    """An audio or video file of the kind it claims to be."""
    check_size(upload, media_max_upload_size())
    if media_type == "audio":
        check_content_type(upload, AUDIO_TYPES, _("audio"))
    else:
        check_content_type(upload, VIDEO_TYPES, _("video"))
    check_single_format(upload)


def check_thumbnail_upload(upload):
    check_size(upload, getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024))
    check_content_type(upload, THUMBNAIL_TYPES, _("thumbnail"))
    upload.seek(0)
    try:
        with PILImage.open(upload) as picture:
            pixels = picture.width * picture.height
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as error:
        raise ValidationError(_("This thumbnail is not a readable image."), code="invalid_image") from error
    finally:
        upload.seek(0)
    if pixels > getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 128_000_000):
        raise ValidationError(_("This image has too many pixels to be opened safely."), code="file_too_many_pixels")
    check_image_upload(upload)


def check_captions_upload(upload):
    """A WebVTT caption file: UTF-8 text that starts with the WEBVTT signature, and nothing active in it."""
    check_size(upload, CAPTIONS_MAX_UPLOAD_SIZE)
    if extension_of(upload) != "vtt":
        raise ValidationError(_("Captions must be a WebVTT file ending in .vtt."), code="invalid_extension")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(_("Captions must be written in UTF-8."), code="invalid_encoding") from error
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if not (first_line == "WEBVTT" or first_line.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise ValidationError(_("This is not a WebVTT file: its first line must be WEBVTT."), code="invalid_captions")
    if "\x00" in text or "-->" not in text:
        raise ValidationError(_("This WebVTT file holds no cues."), code="invalid_captions")
    lowered = data.lower()
    if any(marker in lowered for marker in ANYWHERE_MARKERS):
        raise ValidationError(_("Captions may not contain scripts."), code="polyglot")


def check_document_upload(upload):
    """A document whose content matches its extension; text files must be text."""
    extension = extension_of(upload)
    if extension in TEXT_EXTENSIONS:
        head = read_head(upload, 8192)
        if b"\x00" in head:
            raise ValidationError(
                _("This file is not a real .%(extension)s file: it holds binary data."),
                code="content_mismatch",
                params={"extension": extension},
            )
        check_single_format(upload)
        return
    if extension in DOCUMENT_TYPES:
        check_content_type(upload, DOCUMENT_TYPES, _("document"))
        check_single_format(
            upload,
            allow_archive=extension in ARCHIVE_EXTENSIONS,
            own_markers=(b"%pdf-",) if extension == "pdf" else (),
        )
