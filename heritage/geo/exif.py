"""A photo's GPS position from its EXIF data, read with Pillow."""

from fractions import Fraction

from PIL import Image, UnidentifiedImageError

GPS_IFD = 0x8825
GPS_LATITUDE_REF, GPS_LATITUDE, GPS_LONGITUDE_REF, GPS_LONGITUDE = 1, 2, 3, 4


def _degrees(value):
    parts = [
        Fraction(str(float(part))) if not isinstance(part, tuple) else Fraction(part[0], part[1]) for part in value
    ]
    while len(parts) < 3:
        parts.append(Fraction(0))
    degrees, minutes, seconds = parts[:3]
    return float(degrees + minutes / 60 + seconds / 3600)


def _text(value):
    if isinstance(value, bytes):
        value = value.decode("ascii", "ignore")
    return str(value or "").strip("\x00 ").upper()


def gps_position(file):
    """``(latitude, longitude)`` in decimal degrees from a photo file or path, or ``None``.

    A photo without EXIF, without a GPS block, with a zero-denominator rational or an unreadable
    file gives ``None``: a missing position is normal, never an error.
    """
    try:
        with Image.open(file) as image:
            gps = image.getexif().get_ifd(GPS_IFD)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    try:
        if GPS_LATITUDE not in gps or GPS_LONGITUDE not in gps:
            return None
        latitude = _degrees(gps[GPS_LATITUDE])
        longitude = _degrees(gps[GPS_LONGITUDE])
    except (ZeroDivisionError, TypeError, ValueError):
        return None
    if _text(gps.get(GPS_LATITUDE_REF)) == "S":
        latitude = -latitude
    if _text(gps.get(GPS_LONGITUDE_REF)) == "W":
        longitude = -longitude
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or (latitude == 0 and longitude == 0):
        return None
    return round(latitude, 6), round(longitude, 6)


def image_gps_position(image):
    """The GPS position of a Wagtail image's original file, or ``None``."""
    try:
        with image.open_file() as handle:
            return gps_position(handle)
    except (OSError, ValueError):
        return None
