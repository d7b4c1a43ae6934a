"""Files for media tests, made in memory: photographs with camera data, sounds, and hostile uploads."""

import io
import struct
import wave
import zipfile
import zlib

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from media.models import HeritageMedia

# Đình Hàng Kênh, Hải Phòng: where the test camera says the pictures were taken.
LATITUDE = (20.0, 50.0, 30.0)
LONGITUDE = (106.0, 40.0, 12.0)


def camera_exif(date="2024:02:10 08:30:00", with_gps=True):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"  # EXIF text is ASCII
    exif[ExifTags.Base.DateTime] = date
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = date
    if with_gps:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[ExifTags.GPS.GPSLatitudeRef] = "N"
        gps[ExifTags.GPS.GPSLatitude] = LATITUDE
        gps[ExifTags.GPS.GPSLongitudeRef] = "E"
        gps[ExifTags.GPS.GPSLongitude] = LONGITUDE
    return exif


def jpeg_bytes(size=(640, 480), color=(160, 40, 30), exif=None):
    buffer = io.BytesIO()
    picture = Image.new("RGB", size, color)
    # A gradient, so that the picture is not one flat colour that compresses to nothing.
    for x in range(0, size[0], 8):
        for y in range(0, size[1], 8):
            picture.putpixel((x, y), (x % 256, y % 256, 90))
    picture.save(buffer, "JPEG", quality=85, exif=exif if exif is not None else Image.Exif())
    return buffer.getvalue()


def png_bytes(size=(64, 48), mode="RGBA", exif=None):
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new(mode, size, (10, 120, 60, 200) if mode == "RGBA" else 0).save(buffer, "PNG", **kwargs)
    return buffer.getvalue()


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width, height):
    """A black 1-bit PNG of ``width`` × ``height`` pixels: a few kilobytes that would unpack to a lot."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b"")


def truncated_jpeg():
    data = jpeg_bytes()
    return data[: len(data) // 2]


def svg_with_script():
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>'
    )


def png_zip_polyglot():
    """A valid PNG that is also a ZIP archive (the archive appended after the picture)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("index.html", "<p>xin chào</p>")
    return png_bytes() + archive.getvalue()


def jpeg_html_polyglot():
    """A valid JPEG whose comment segment is a web page with a script."""
    data = jpeg_bytes(size=(32, 32))
    comment = b"<html><script>alert(1)</script></html>"
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return data[:2] + segment + data[2:]


def huge_png(total_size):
    """A PNG header followed by padding, ``total_size`` bytes in all."""
    head = png_bytes(size=(8, 8))
    return head + b"\x00" * (total_size - len(head))


def wav_bytes(seconds=3, rate=8000):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(1)
        sound.setframerate(rate)
        # A quiet 440 Hz square wave: a real, playable sound.
        period = rate // 440
        frames = bytes(128 + (20 if (i // (period // 2 or 1)) % 2 else -20) for i in range(rate * seconds))
        sound.writeframes(frames)
    return buffer.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nXin chào quý khách.\n"


class HeritageMediaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HeritageMedia

    title = factory.Sequence(lambda n: f"Thuyết minh đình làng {n}")
    type = "audio"
    duration = 3
    language = "vi"
    transcript = "Đình làng được dựng từ thời Lê, thờ Thành hoàng làng."
    file = factory.LazyFunction(lambda: ContentFile(wav_bytes(), name="thuyet-minh.wav"))
