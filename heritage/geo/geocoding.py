"""Addresses to coordinates and back, through geopy; Nominatim by default, the provider a setting.

Geocoding only helps an editor fill the form: a slow, refusing or unreachable geocoder gives a
``GeocodingError`` whose message the editor reads, and the page saves with the coordinates typed.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from geopy import exc as geopy_errors
from geopy.adapters import RequestsAdapter
from geopy.geocoders import Nominatim, get_geocoder_for_service

from .coords import format_degrees


def _timeout_message():
    return _("The geocoder did not answer in time. Type the coordinates, or try again later.")


class GeocodingError(Exception):
    """The geocoder could not answer; the message is for the editor."""


@dataclass
class GeocodedPlace:
    latitude: float
    longitude: float
    address: str

    def as_json(self):
        return {
            "latitude": format_degrees(self.latitude),
            "longitude": format_degrees(self.longitude),
            "address": self.address,
        }


def _asking_once(proxies, ssl_context):
    """geopy's requests adapter without retries. Its default retries twice, and waits out a
    refusal's ``Retry-After`` before each retry: a Nominatim answering 429 with "Retry-After: 60"
    held the editor, and a worker, for two minutes. The editor would rather type the coordinates."""
    return RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)


def get_geocoder():
    """The configured geopy geocoder: ``GEOCODER`` names the service, ``GEOCODER_OPTIONS`` its arguments."""
    service = (settings.GEOCODER or "nominatim").lower()
    options = {"timeout": settings.GEOCODER_TIMEOUT, "adapter_factory": _asking_once, **settings.GEOCODER_OPTIONS}
    if service == "nominatim":
        parts = urlsplit(settings.NOMINATIM_URL)
        return Nominatim(
            user_agent=settings.GEOCODER_USER_AGENT,
            scheme=parts.scheme or "https",
            domain=(parts.netloc + parts.path).rstrip("/"),
            **options,
        )
    return get_geocoder_for_service(service)(**options)


def _call(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except geopy_errors.GeocoderTimedOut as error:
        raise GeocodingError(
            _("The geocoder did not answer in time. Type the coordinates, or try again later.")
        ) from error
    except geopy_errors.GeocoderRateLimited as error:
        raise GeocodingError(
            _(
                "The geocoder is refusing requests for a while (too many requests). Type the coordinates, or try again later."
            )
        ) from error
    except geopy_errors.GeocoderUnavailable as error:
        # geopy's requests adapter reports a read timeout as "unavailable" (urllib3 retries wrap it).
        if "timed out" in str(error).lower():
            raise GeocodingError(_timeout_message()) from error
        raise GeocodingError(_("The geocoder cannot be reached. Type the coordinates.")) from error
    except geopy_errors.GeopyError as error:
        raise GeocodingError(_("The geocoder answered with an error. Type the coordinates.")) from error
    except (OSError, ValueError) as error:
        raise GeocodingError(_("The geocoder gave an answer that could not be read. Type the coordinates.")) from error


def _extra(service):
    # Nominatim searches Vietnam first, in Vietnamese; other services take their own options.
    return {"country_codes": "vn", "language": "vi"} if service == "nominatim" else {}


def geocode(address):
    """The best match for ``address``, or ``None`` when the geocoder knows no such place."""
    address = " ".join((address or "").split())
    if not address:
        return None
    geocoder = get_geocoder()
    service = (settings.GEOCODER or "nominatim").lower()
    location = _call(geocoder.geocode, address, exactly_one=True, **_extra(service))
    if not location:
        return None
    return GeocodedPlace(location.latitude, location.longitude, location.address or "")


def reverse(latitude, longitude):
    """The address of a point, or ``None`` when the geocoder has none."""
    geocoder = get_geocoder()
    service = (settings.GEOCODER or "nominatim").lower()
    extra = {"language": "vi"} if service == "nominatim" else {}
    location = _call(geocoder.reverse, (float(latitude), float(longitude)), exactly_one=True, **extra)
    if not location:
        return None
    return GeocodedPlace(location.latitude, location.longitude, location.address or "")
