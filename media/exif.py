"""What a camera wrote into a picture (EXIF): the date it was taken and where."""

import contextlib
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from PIL import ExifTags
from PIL import Image as PILImage

GPS_IFD = ExifTags.IFD.GPSInfo
EXIF_IFD = ExifTags.IFD.Exif
DATE_TIME_ORIGINAL = ExifTags.Base.DateTimeOriginal
DATE_TIME = ExifTags.Base.DateTime


@dataclass
class CameraData:
    date_taken: datetime.date | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def _parse_date(value):
    if not isinstance(value, str):
        return None
    try:
        return datetime.datetime.strptime(value.strip()[:10], "%Y:%m:%d").date()
    except ValueError:
        return None


def _degrees(values, ref):
    try:
        degrees, minutes, seconds = (float(value) for value in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if ref in ("S", "W", b"S", b"W"):
        result = -result
    return Decimal(str(result)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def camera_data_from_exif(exif):
    """Date and position from a Pillow ``Image.Exif``; any field the camera did not write stays None."""
    data = CameraData()
    try:
        exif_ifd = exif.get_ifd(EXIF_IFD)
        gps = exif.get_ifd(GPS_IFD)
    except (KeyError, ValueError, TypeError, OSError):
        exif_ifd, gps = {}, {}
    data.date_taken = _parse_date(exif_ifd.get(DATE_TIME_ORIGINAL)) or _parse_date(exif.get(DATE_TIME))
    if gps.get(ExifTags.GPS.GPSLatitude) and gps.get(ExifTags.GPS.GPSLongitude):
        latitude = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef))
        longitude = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef))
        if latitude is not None and longitude is not None and abs(latitude) <= 90 and abs(longitude) <= 180:
            data.latitude, data.longitude = latitude, longitude
    return data


def read_exif(field_file):
    """Camera data of an image file; an unreadable file yields empty data, never an error."""
    try:
        field_file.open("rb")
        field_file.seek(0)
        with PILImage.open(field_file) as picture:
            return camera_data_from_exif(picture.getexif())
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError):
        return CameraData()
    finally:
        with contextlib.suppress(OSError, ValueError):
            field_file.seek(0)


def without_location(exif_bytes):
    """EXIF bytes with the GPS block removed, or None when nothing is left worth keeping."""
    exif = PILImage.Exif()
    try:
        exif.load(exif_bytes)
    except (OSError, SyntaxError, ValueError, TypeError):
        return None
    if GPS_IFD in exif:
        del exif[GPS_IFD]
    return exif.tobytes() if len(exif) else None
