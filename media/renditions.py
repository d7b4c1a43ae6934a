"""Renditions for the public: the camera's GPS position is removed from every one.

Willow copies the original's EXIF into JPEG and PNG renditions (checked with Willow 1.12), GPS
included; a photograph taken at someone's home would tell where that home is. The original file
keeps its data for editors, who see the position in the image's edit form.
"""

from wagtail.images.models import Filter

from .exif import without_location


class StripLocationOperation:
    """Last step of every rendition: drop the GPS block from the EXIF that will be written."""

    def run(self, willow, image, env):
        picture = getattr(willow, "image", None)
        info = getattr(picture, "info", None)
        if not info or "exif" not in info:
            return willow
        cleaned = without_location(info["exif"])
        if cleaned is None:
            del info["exif"]
        else:
            info["exif"] = cleaned
        return willow


class PublicRenditionFilter(Filter):
    @property
    def filter_operations(self):
        return [*super().filter_operations, StripLocationOperation()]
