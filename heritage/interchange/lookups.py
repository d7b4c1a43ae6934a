"""What an import looks up again and again, fetched once: communes, index pages, periods, sources.

Checking a file must not write anything, so the periods, villages, sources, tags and images an
import needs but the archive lacks are built here unsaved and checked with the models' own
validation; ``save_pending`` writes them once the whole file has passed.
"""

import os
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.models import Collection, Site
from wagtail.utils.file import hash_filelike

from ..communes import index_page_types
from ..models import CityHomePage, Commune, HeritagePage, HomePage, Period, Source, Village
from ..text import fold_diacritics, normalize_text
from .schema import FieldError

# Words an editor may put before a commune's name that the Commune record leaves out.
COMMUNE_PREFIXES = ("xa ", "phuong ", "thi tran ", "dac khu ")
IMAGE_METADATA = ("title", "caption", "credit", "licence", "date_taken")


def entry_models():
    """The page model of each entry type: ``{"relic": RelicPage, ...}``."""
    found = {}
    pending = [HeritagePage]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if model.entry_type and not model._meta.abstract:
            found[model.entry_type] = model
    return found


def text_key(value):
    """How names are compared: NFC and case-insensitive, but with their diacritics ("Đông" ≠ "Đồng")."""
    return normalize_text(value or "").strip().casefold()


def validation_messages(error):
    """The messages of a ``ValidationError`` as "field: message" lines."""
    if hasattr(error, "error_dict"):
        return [
            f"{name}: {message}" if name != "__all__" else str(message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [str(message) for message in error.messages]


class Lookups:
    """Cached look-ups for one import, and the new objects it will save."""

    def __init__(self, files_dir):
        self.files_dir = Path(files_dir)
        self.entry_models = entry_models()
        self.index_classes = {apps.get_model(cls.entry_model).entry_type: cls for cls in index_page_types()}
        self.pending = []  # unsaved objects, saved before any page
        self._communes = None
        self._homes = {}
        self._indexes = {}
        self._periods = None
        self._villages = {}
        self._sources = None
        self._tags = {}
        self._relic_types = None
        self._collections = {}
        self._images = {}

    # Communes and where their entries live ------------------------------------------------

    def _load_communes(self):
        names, codes, folded = {}, {}, {}
        for commune in Commune.objects.all():
            names[text_key(commune.name)] = commune
            codes[commune.code.upper()] = commune
            for key in {fold_diacritics(commune.name), _without_prefix(fold_diacritics(commune.name))}:
                # Two communes whose names differ only by their marks cannot be told apart folded.
                folded[key] = None if key in folded and folded[key] != commune else commune
        self._communes = (names, codes, folded)

    def commune(self, text):
        """The commune named (with or without diacritics, "Xã" or not) or coded ``text``."""
        if self._communes is None:
            self._load_communes()
        names, codes, folded = self._communes
        found = names.get(text_key(text)) or codes.get(text.strip().upper())
        if found:
            return found
        key = fold_diacritics(text).strip()
        for candidate in (key, _without_prefix(key)):
            if candidate in folded:
                if folded[candidate] is None:
                    raise FieldError(_("commune %(name)r matches several communes; use its code.") % {"name": text})
                return folded[candidate]
        raise FieldError(_("Unknown commune %(name)r.") % {"name": text})

    def home(self, commune):
        """The page whose index pages hold the commune's entries (the default site's root without one)."""
        key = commune.pk if commune else None
        if key not in self._homes:
            if commune is None:
                site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
                home = site.root_page.specific if site else None
                if not isinstance(home, CityHomePage | HomePage):
                    raise FieldError(_("The default site has no city or commune home page to import into."))
            else:
                home = HomePage.objects.filter(commune=commune).first()
                if home is None:
                    raise FieldError(
                        _("Commune %(name)s has no home page yet; set the commune up first.") % {"name": commune.name}
                    )
            self._homes[key] = home
        return self._homes[key]

    def default_commune(self):
        home = self.home(None)
        return home.commune if isinstance(home, HomePage) else None

    def index(self, home, entry_type):
        """The index page of one kind of entry under a home page."""
        if home.pk not in self._indexes:
            by_kind = self._indexes[home.pk] = {}
            for child in home.get_children().specific():
                for kind, index_class in self.index_classes.items():
                    if type(child) is index_class:
                        by_kind.setdefault(kind, child)
        found = self._indexes[home.pk].get(entry_type)
        if found is None:
            raise FieldError(
                _("%(home)s has no index page for %(kind)s entries.") % {"home": home.title, "kind": entry_type}
            )
        return found

    # Taxonomy ------------------------------------------------------------------------------

    def period(self, item, warn):
        if self._periods is None:
            self._periods = {text_key(period.name): period for period in Period.objects.all()}
        key = text_key(item.name)
        found = self._periods.get(key)
        if found is not None:
            known = (found.start_year, found.end_year)
            if not item.is_reference and item.start_year is not None and known != (item.start_year, item.end_year):
                warn(
                    _("period: %(name)s already exists with other years; the existing period is used.")
                    % {"name": found.name}
                )
            return found
        if item.is_reference or item.start_year is None:
            raise FieldError(
                _("period: unknown period %(name)r; give its start_year to create it.") % {"name": item.name}
            )
        period = Period(name=item.name, start_year=item.start_year, end_year=item.end_year)
        if item.kind:
            period.kind = item.kind
        self._check(period, "period")
        self._periods[key] = period
        self.pending.append(period)
        return period

    def village(self, commune, name):
        if commune is None:
            raise FieldError(_("village: an entry of no commune cannot have a village."))
        if commune.pk not in self._villages:
            self._villages[commune.pk] = {text_key(village.name): village for village in commune.villages.all()}
        villages = self._villages[commune.pk]
        key = text_key(name)
        if key not in villages:
            village = Village(commune=commune, name=name)
            self._check(village, "village")
            villages[key] = village
            self.pending.append(village)
        return villages[key]

    def source(self, item):
        """An existing source with the same title, authors and year, or a new one."""
        if self._sources is None:
            self._sources = {
                _source_key(source.title, source.authors, source.year): source for source in Source.objects.all()
            }
        key = _source_key(item.title, item.authors, item.year)
        if key not in self._sources:
            source = Source(
                title=item.title,
                authors=item.authors,
                year=item.year,
                container_title=item.container_title,
                publisher=item.publisher,
                place=item.place,
                identifier=item.identifier,
                url=item.url,
                accessed_on=item.accessed_on,
                note=item.note,
            )
            if item.kind:
                source.kind = item.kind
            self._check(source, "sources")
            self._sources[key] = source
            self.pending.append(source)
        return self._sources[key]

    def tag(self, name):
        if len(name) > 100:
            raise FieldError(_("tags: %(tag)r is longer than 100 characters.") % {"tag": name})
        if name not in self._tags:
            self._tags[name] = Tag.objects.filter(name=name).first()
            if self._tags[name] is None:
                self._tags[name] = Tag(name=name)
                self.pending.append(self._tags[name])
        return self._tags[name]

    def relic_type(self, code):
        if self._relic_types is None:
            self._relic_types = {
                relic_type.code: relic_type for relic_type in apps.get_model("sites.RelicType").objects.all()
            }
        if code not in self._relic_types:
            raise FieldError(_("category: the archive has no relic type %(code)r.") % {"code": code})
        return self._relic_types[code]

    # Images --------------------------------------------------------------------------------

    def collection(self, commune):
        """The commune's collection (named like the commune), else the root collection."""
        key = commune.pk if commune else None
        if key not in self._collections:
            root = Collection.get_first_root_node()
            found = root.get_children().filter(name=commune.name).first() if commune else None
            self._collections[key] = found or root
        return self._collections[key]

    def image(self, item, *, commune, default_title, field="image"):
        """The image for a file: the archive's copy if the same file is there already, else a new one."""
        path = Path(os.path.normpath(self.files_dir / item.file))
        if not path.is_relative_to(os.path.normpath(self.files_dir)):
            raise FieldError(
                _("%(field)s: %(file)s is outside the files folder.") % {"field": field, "file": item.file}
            )
        if not path.is_file():
            raise FieldError(_("%(field)s: no such file %(file)s.") % {"field": field, "file": item.file})
        with path.open("rb") as handle:
            checksum = hash_filelike(handle)
        image = self._images.get(checksum)
        if image is None:
            image = get_image_model().objects.filter(file_hash=checksum).order_by("pk").first()
        if image is None:
            image = self._new_image(path, item, commune, default_title, field)
        else:
            self._update_image(image, item, field)
        self._images[checksum] = image
        return image

    def _new_image(self, path, item, commune, default_title, field):
        data = path.read_bytes()
        try:
            # The admin's own upload field: formats, size and pixel limits exactly as editors meet them.
            WagtailImageField().clean(SimpleUploadedFile(path.name, data))
        except ValidationError as error:
            raise FieldError(f"{field}: {item.file}: {' '.join(error.messages)}") from None
        image = get_image_model()(collection=self.collection(commune), title=item.title or default_title or path.stem)
        for name in IMAGE_METADATA[1:]:
            if getattr(item, name):
                setattr(image, name, getattr(item, name))
        image._import_path = path
        self._check_image(image, field)
        self.pending.append(image)
        return image

    def _update_image(self, image, item, field):
        changed = False
        for name in IMAGE_METADATA:
            value = getattr(item, name)
            if value and getattr(image, name) != value:
                setattr(image, name, value)
                changed = True
        if changed:
            self._check_image(image, field)
            if image not in self.pending:
                self.pending.append(image)

    def _check_image(self, image, field):
        editable = {"title", *IMAGE_METADATA}
        exclude = [model_field.name for model_field in image._meta.fields if model_field.name not in editable]
        self._check(image, field, exclude=exclude)

    def _check(self, instance, field, exclude=None):
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as error:
            raise FieldError("; ".join(f"{field}: {message}" for message in validation_messages(error))) from None

    # Writing -------------------------------------------------------------------------------

    def save_pending(self, created_files):
        """Save the new periods, villages, sources, tags and images; note each file written."""
        for instance in self.pending:
            path = getattr(instance, "_import_path", None)
            if path is not None and not instance.pk:
                with path.open("rb") as handle:
                    instance.file = ImageFile(handle, name=path.name)
                    instance._set_image_file_metadata()
                    instance.save()
                created_files.append(instance.file.name)
            else:
                instance.save()


def _without_prefix(folded):
    for prefix in COMMUNE_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def _source_key(title, authors, year):
    return text_key(title), text_key(authors), year
