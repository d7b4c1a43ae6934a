"""Demo content: the Hải Phòng city site, two communes and their sample entries.

The entries live in ``fixtures/demo/*.jsonl`` in the interchange format and go in through
``import_heritage``, the same door as real data. This module prepares what the files only name
(communes, villages, periods), draws a placeholder picture for every image the files refer to,
and runs the importer. Running it again changes nothing.
"""

import hashlib
import json
import random
import tempfile
import textwrap
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.management import call_command, get_commands
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from .communes import setup_city, setup_commune
from .models import Commune, HeritagePage, HomePage, Period, Village

DEMO_DIR = Path(__file__).resolve().parent / "fixtures" / "demo"
FORMAT_HEADER = {"format": "heritage-archive", "version": 1}
ENTRY_TYPES = ("relic", "festival", "person", "product")
IMPORT_COMMAND = "import_heritage"

CITY_TITLE = "Hải Phòng"
CITY_INTRO = (
    "<p>Kho lưu trữ số về di tích, lễ hội, nhân vật lịch sử và sản phẩm văn hóa của các xã, phường "
    "thành phố Hải Phòng.</p>"
    "<p><b>Nội dung mẫu:</b> các xã Kiến Minh và An Khánh trên trang này được đưa vào để trình diễn hệ "
    "thống. Nhiều chi tiết chưa được đối chiếu với hồ sơ chính thức.</p>"
)
MERGER_DATE = date(2025, 7, 1)


@dataclass(frozen=True)
class VillageSpec:
    name: str
    former_names: str = ""


@dataclass(frozen=True)
class CommuneSpec:
    name: str
    code: str
    subdomain: str
    fixture: str
    former_units: str
    description: str
    intro: str
    villages: tuple = field(default_factory=tuple)
    formed_on: date = MERGER_DATE

    @property
    def path(self):
        return DEMO_DIR / self.fixture

    def hostname(self, suffix):
        return f"{self.subdomain}.{suffix}" if suffix else self.subdomain


COMMUNES = (
    CommuneSpec(
        name="Kiến Minh",
        code="KM",
        subdomain="kienminh",
        fixture="kien-minh.jsonl",
        former_units="Xã Minh Tân (huyện Kiến Thụy)\nXã Đại Đồng (huyện Kiến Thụy)\nXã Đông Phương (huyện Kiến Thụy)",
        description=(
            "Xã Kiến Minh được thành lập từ ngày 1/7/2025 theo Nghị quyết số 1669/NQ-UBTVQH15 của Ủy ban "
            "Thường vụ Quốc hội, trên cơ sở hợp nhất ba xã Minh Tân, Đại Đồng và Đông Phương của huyện Kiến "
            "Thụy cũ. Xã rộng hơn 16 km², có trên 26.000 người. Vùng đất này xưa gồm tổng Đại Trà và tổng Sâm "
            "Linh; làng Cốc Liễn từng là nơi đặt phủ lỵ Kiến Thụy cuối thế kỷ XIX."
        ),
        intro=(
            "<p>Kho lưu trữ di sản xã Kiến Minh: đình và chùa Đại Trà, vườn tháp chùa Lạng Côn, hội thi pháo "
            "đầu xuân của tổng Đại Trà xưa và những sản vật của đồng đất ven sông Đa Độ.</p>"
            "<p><b>Nội dung mẫu:</b> các mục ở đây được viết để trình diễn hệ thống. Những chi tiết chưa đối "
            "chiếu được ghi rõ trong từng mục; đây không phải hồ sơ di tích chính thức.</p>"
        ),
        villages=(
            VillageSpec("Đại Trà", "Các thôn Đại Trà Đức, Đại Trà Hồng, Đại Trà Sơn, Đại Trà Hải (xã Đông Phương cũ)"),
            VillageSpec("Lạng Côn", "Các thôn Lạng Côn Hải, Lạng Côn Hà (xã Đông Phương cũ)"),
            VillageSpec("Đức Phong", "Thôn Đức Phong (xã Đại Đồng cũ)"),
            VillageSpec("Phong Cầu", "Thôn Phong Cầu (xã Đại Đồng cũ)"),
            VillageSpec("Cốc Liễn", "Minh Liễn (trước năm 1890); thôn Cốc Liễn (xã Minh Tân cũ)"),
            VillageSpec("Sâm Linh", "Thôn Sâm Linh (xã Minh Tân cũ)"),
        ),
    ),
    CommuneSpec(
        name="An Khánh",
        code="AK",
        subdomain="ankhanh",
        fixture="an-khanh.jsonl",
        former_units="Xã Tân Viên (huyện An Lão)\nXã Mỹ Đức (huyện An Lão)\nMột phần xã Thái Sơn (huyện An Lão)",
        description=(
            "Xã An Khánh được thành lập từ ngày 1/7/2025 theo Nghị quyết số 1669/NQ-UBTVQH15 của Ủy ban "
            "Thường vụ Quốc hội, gồm toàn bộ xã Tân Viên, xã Mỹ Đức và một phần xã Thái Sơn của huyện An Lão "
            "cũ. Xã rộng hơn 24 km², có trên 34.000 người sống ở 19 thôn. Làng Nguyệt Áng là quê Trạng nguyên "
            "Trần Tất Văn, đỗ đầu khoa thi năm 1526."
        ),
        intro=(
            "<p>Kho lưu trữ di sản xã An Khánh: đền thờ Trạng nguyên Trần Tất Văn và đình Nguyệt Áng, lễ hội "
            "quê Trạng tháng Tám âm lịch, cùng các món ăn, nghề thủ công của vùng đồng An Lão cũ.</p>"
            "<p><b>Nội dung mẫu:</b> các mục ở đây được viết để trình diễn hệ thống. Những chi tiết chưa đối "
            "chiếu được ghi rõ trong từng mục; đây không phải hồ sơ di tích chính thức.</p>"
        ),
        villages=(
            VillageSpec("Nguyệt Áng", "Thôn Nguyệt Áng (xã Thái Sơn cũ)"),
            VillageSpec("Mỹ Đức", "Địa bàn xã Mỹ Đức cũ; tên tạm cho khu vực, chưa phải tên thôn"),
            VillageSpec("Tân Viên", "Địa bàn xã Tân Viên cũ; tên tạm cho khu vực, chưa phải tên thôn"),
        ),
    ),
)

# Created only when missing, so that years an editor has corrected are never overwritten.
PERIODS = (
    {"name": "Nhà Tiền Lê", "kind": "dynasty", "start_year": 980, "end_year": 1009},
    {"name": "Nhà Trần", "kind": "dynasty", "start_year": 1226, "end_year": 1400},
    {"name": "Nhà Mạc", "kind": "dynasty", "start_year": 1527, "end_year": 1592},
    {"name": "Lê Trung hưng", "kind": "period", "start_year": 1533, "end_year": 1789},
    {"name": "Nhà Nguyễn", "kind": "dynasty", "start_year": 1802, "end_year": 1945},
    {"name": "Thời kỳ hiện đại", "kind": "period", "start_year": 1945, "end_year": None},
)


class DemoDataError(Exception):
    """The demo files are malformed, or something they need is missing."""


# Reading and checking the files ------------------------------------------------------------------


def read_entries(path):
    """The entries of one interchange file, after checking its header line."""
    lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        raise DemoDataError(f"{path} is empty.")
    try:
        header = json.loads(lines[0])
        entries = [json.loads(line) for line in lines[1:]]
    except json.JSONDecodeError as error:
        raise DemoDataError(f"{path}: line {error.lineno} is not JSON: {error.msg}.") from error
    if header != FORMAT_HEADER:
        raise DemoDataError(f"{path} does not start with {json.dumps(FORMAT_HEADER)}.")
    return entries


def fixture_entries():
    """Entries of every demo commune, keyed by commune name."""
    return {spec.name: read_entries(spec.path) for spec in COMMUNES}


def validate_fixtures(entries_by_commune=None):
    """Problems in the demo files, as sentences; an empty list means they are ready to import."""
    entries_by_commune = entries_by_commune if entries_by_commune is not None else fixture_entries()
    errors = []
    all_entries = [entry for entries in entries_by_commune.values() for entry in entries]
    ids = Counter(entry.get("id") for entry in all_entries)
    errors += [f"Entry id {entry_id!r} is used {count} times." for entry_id, count in ids.items() if count > 1]
    village_names = {spec.name: {village.name for village in spec.villages} for spec in COMMUNES}
    period_names = {period["name"] for period in PERIODS}
    errors += _source_errors(all_entries)
    for commune, entries in entries_by_commune.items():
        kinds = Counter(entry.get("type") for entry in entries)
        if len(entries) < 15:
            errors.append(f"{commune} has {len(entries)} entries; the demo needs at least 15.")
        errors += [f"{commune} has no {kind} entry." for kind in ENTRY_TYPES if not kinds[kind]]
        for entry in entries:
            errors += _entry_errors(entry, commune, ids, village_names.get(commune, set()), period_names)
    return errors


def related_ids(entry):
    """The ids an entry links to; ``related`` items are ids or ``{"id", "relation"}`` objects."""
    return [item["id"] if isinstance(item, dict) else item for item in entry.get("related", [])]


def _source_errors(entries):
    """A work cited by several entries must be described the same way each time, so it is stored once."""
    errors, seen = [], {}
    for entry in entries:
        for source in entry.get("sources", []):
            record = {key: value for key, value in source.items() if key != "locator"}
            if len(source.get("locator", "")) > 100:
                errors.append(f"{entry.get('id')}: locator longer than 100 characters.")
            first = seen.setdefault(source.get("title"), record)
            if first != record:
                errors.append(f"{entry.get('id')}: source {source.get('title')!r} differs from its first description.")
    return errors


def _entry_errors(entry, commune, ids, villages, periods):
    label = entry.get("id", "?")
    errors = [f"{label}: missing {key}." for key in ("id", "type", "title", "summary", "body") if not entry.get(key)]
    if entry.get("type") not in ENTRY_TYPES:
        errors.append(f"{label}: unknown type {entry.get('type')!r}.")
    if entry.get("commune") != commune:
        errors.append(f"{label}: commune is {entry.get('commune')!r}, expected {commune!r}.")
    if entry.get("sample") is not True:
        errors.append(f'{label}: demo entries must say "sample": true.')
    errors += [f"{label}: related id {other!r} does not exist." for other in related_ids(entry) if other not in ids]
    if label in related_ids(entry):
        errors.append(f"{label}: an entry cannot be related to itself.")
    if entry.get("village") and entry["village"] not in villages:
        errors.append(f"{label}: village {entry['village']!r} is not among the demo villages of {commune}.")
    period = entry.get("period")
    period_name = period.get("name") if isinstance(period, dict) else period
    if period_name and period_name not in periods:
        errors.append(f"{label}: period {period_name!r} is not among the demo periods.")
    if "body" in entry and len(entry["body"].split("\n\n")) < 2:
        errors.append(f"{label}: the body should have several paragraphs.")
    if not entry.get("image"):
        errors.append(f"{label}: every demo entry has a main image.")
    for picture in image_references(entry):
        if not picture.get("file") or Path(picture["file"]).is_absolute() or ".." in Path(picture["file"]).parts:
            errors.append(f"{label}: image path {picture.get('file')!r} must be relative to the files folder.")
    if entry.get("lat") is not None and not (20.6 <= entry["lat"] <= 21.0 and 106.4 <= entry.get("lon", 0) <= 106.8):
        errors.append(f"{label}: coordinates fall outside the communes' area.")
    return errors


# Placeholder pictures ----------------------------------------------------------------------------

IMAGE_SIZE = (1200, 800)
# Top and bottom colours of the gradient, one pair per kind of entry.
KIND_COLOURS = {
    "relic": ((122, 62, 38), (214, 160, 92)),
    "festival": ((150, 24, 32), (232, 176, 54)),
    "person": ((28, 42, 92), (92, 128, 186)),
    "product": ((36, 84, 48), (168, 192, 96)),
}
KIND_LABELS = {
    "relic": "DI TÍCH",
    "festival": "LỄ HỘI",
    "person": "NHÂN VẬT LỊCH SỬ",
    "product": "SẢN PHẨM VĂN HÓA",
}
FOOTER = "Ảnh minh họa tạo tự động · Nội dung mẫu"
_ASCII_PUNCTUATION = str.maketrans({"đ": "d", "Đ": "D", "–": "-", "—": "-", "·": "-", "“": '"', "”": '"'})
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSansBold.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
)


def image_references(entry):
    """The image objects an entry refers to: its main image, then its gallery."""
    pictures = [entry["image"]] if entry.get("image") else []
    return pictures + list(entry.get("gallery", []))


def strip_marks(text):
    """``text`` in plain ASCII, capitals kept: "Đình Nguyệt Áng" → "Dinh Nguyet Ang"."""
    text = unicodedata.normalize("NFD", text.translate(_ASCII_PUNCTUATION))
    return "".join(char for char in text if not unicodedata.combining(char)).encode("ascii", "ignore").decode()


def find_font_path():
    """The first installed TrueType font with Vietnamese letters, or None."""
    for path in FONT_CANDIDATES:
        try:
            ImageFont.truetype(path, 12)
        except OSError:
            continue
        return path
    return None


def load_font(size, font_path=None):
    """The TrueType font at ``font_path``, or Pillow's own font when there is none."""
    if font_path:
        return ImageFont.truetype(font_path, size)
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow older than 10.1 has no sized default font.
        return ImageFont.load_default()


def render_image(title, kind, seed, font_path=None):
    """A picture for an entry: a gradient in the kind's colours, a few shapes and the title."""
    width, height = IMAGE_SIZE
    top, bottom = KIND_COLOURS.get(kind, KIND_COLOURS["relic"])
    picture = Image.new("RGB", IMAGE_SIZE)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        share = y / (height - 1)
        draw.line(
            [(0, y), (width, y)], fill=tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True))
        )

    overlay = Image.new("RGBA", IMAGE_SIZE, (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    rng = random.Random(seed)
    for _ in range(7):
        x, y, radius = rng.randrange(width), rng.randrange(height), rng.randrange(60, 260)
        shapes.ellipse([x - radius, y - radius, x + radius, y + radius], fill=(255, 255, 255, rng.randrange(14, 40)))
    for _ in range(3):
        x = rng.randrange(-200, width)
        shapes.polygon(
            [(x, height), (x + 260, height), (x + 560, 0), (x + 300, 0)], fill=(0, 0, 0, rng.randrange(14, 30))
        )
    # A roof line, a lantern or a circle: one motif per kind, so the lists are easy to scan.
    if kind == "relic":
        shapes.polygon(
            [(700, 690), (920, 580), (1140, 690), (1100, 690), (920, 610), (740, 690)], fill=(255, 244, 220, 100)
        )
    elif kind == "festival":
        for index in range(5):
            cx = 320 + index * 190
            shapes.ellipse([cx - 40, 80, cx + 40, 180], fill=(255, 214, 90, 110))
    elif kind == "person":
        shapes.ellipse([980, 520, 1140, 680], outline=(255, 255, 255, 110), width=10)
    else:
        shapes.rounded_rectangle([960, 540, 1140, 680], radius=30, outline=(255, 255, 255, 110), width=10)
    picture = Image.alpha_composite(picture.convert("RGBA"), overlay).convert("RGB")

    # Pillow's own font has no Vietnamese letters: without a system font, write the words without marks.
    readable = str if font_path else strip_marks
    draw = ImageDraw.Draw(picture)
    _draw_text(draw, (60, 50), readable(KIND_LABELS.get(kind, "")), load_font(34, font_path), (255, 255, 255))
    _draw_title(draw, readable(title), font_path)
    _draw_text(draw, (60, height - 70), readable(FOOTER), load_font(26, font_path), (255, 255, 255))
    return picture


def _draw_title(draw, title, font_path):
    width, height = IMAGE_SIZE
    for size in (92, 80, 68, 58, 48, 40):
        font = load_font(size, font_path)
        lines = textwrap.wrap(title, width=max(8, int(1900 / size)))
        if all(_text_width(draw, line, font) <= width - 120 for line in lines) and len(lines) <= 3:
            break
    line_height = int(size * 1.25)
    y = (height - line_height * len(lines)) // 2
    for line in lines:
        _draw_text(draw, (60, y), line, font, (255, 255, 255), shadow=True)
        y += line_height


def _text_width(draw, text, font):
    try:
        return draw.textlength(text, font=font)
    except UnicodeEncodeError:
        return draw.textlength(strip_marks(text), font=font)


def _draw_text(draw, position, text, font, colour, shadow=False):
    # Pillow's bitmap font (without FreeType) only knows Latin-1: drop the marks rather than fail.
    for candidate in (text, strip_marks(text)):
        try:
            if shadow:
                draw.text((position[0] + 3, position[1] + 3), candidate, font=font, fill=(0, 0, 0))
            draw.text(position, candidate, font=font, fill=colour)
            return
        except UnicodeEncodeError:
            continue


def generate_images(entries, files_dir):
    """Draw every image the entries refer to into ``files_dir``; the same files every run."""
    font_path = find_font_path()
    written = 0
    for entry in entries:
        for picture in image_references(entry):
            target = Path(files_dir) / picture["file"]
            target.parent.mkdir(parents=True, exist_ok=True)
            seed = int.from_bytes(hashlib.sha256(picture["file"].encode()).digest()[:8], "big")
            image = render_image(picture.get("title") or entry["title"], entry.get("type"), seed, font_path)
            image.save(target, "JPEG", quality=85)
            written += 1
    return written


# Loading ------------------------------------------------------------------------------------------


@dataclass
class CommuneSummary:
    name: str
    url: str
    counts: dict

    @property
    def total(self):
        return sum(self.counts.values())


@dataclass
class DemoSummary:
    city_url: str
    communes: list
    pages_before: int
    pages_after: int
    images: int

    @property
    def new_pages(self):
        return self.pages_after - self.pages_before


def importer_available():
    return IMPORT_COMMAND in get_commands()


def ensure_commune(spec):
    commune = Commune.objects.filter(code=spec.code).first() or Commune(code=spec.code)
    wanted = {
        "name": spec.name,
        "former_units": spec.former_units,
        "formed_on": spec.formed_on,
        "description": spec.description,
    }
    if commune.pk is None or any(getattr(commune, key) != value for key, value in wanted.items()):
        for key, value in wanted.items():
            setattr(commune, key, value)
        commune.full_clean()
        commune.save()
    return commune


def ensure_villages(commune, specs):
    for spec in specs:
        village, created = Village.objects.get_or_create(
            commune=commune, name=spec.name, defaults={"former_names": spec.former_names}
        )
        if not created and not village.former_names and spec.former_names:
            village.former_names = spec.former_names
            village.save(update_fields=["former_names"])


def ensure_periods():
    for period in PERIODS:
        values = dict(period)
        Period.objects.get_or_create(name=values.pop("name"), defaults=values)


def _set_intro(page, intro):
    if not page.intro:
        page.intro = intro
        page.save_revision().publish()


def _site_url(hostname, port):
    return f"http://{hostname}" + ("" if port == 80 else f":{port}") + "/"


def _counts(home):
    entries = HeritagePage.objects.live().descendant_of(home).specific()
    counts = Counter(entry.entry_type for entry in entries)
    return {kind: counts.get(kind, 0) for kind in ENTRY_TYPES}


def load_demo(*, hostname_suffix="localhost", port=8000, city_hostname="127.0.0.1", verbosity=0, stdout=None):
    """Set up the city and the demo communes, then import their entries; safe to run again."""
    entries_by_commune = fixture_entries()
    errors = validate_fixtures(entries_by_commune)
    if errors:
        raise DemoDataError("The demo files need fixing:\n" + "\n".join(errors))
    if not importer_available():
        raise DemoDataError(f"The {IMPORT_COMMAND} command is not installed; the demo is loaded through it.")

    pages_before = HeritagePage.objects.count()
    with transaction.atomic():
        city = setup_city(CITY_TITLE, hostname=city_hostname, port=port)
        _set_intro(city, CITY_INTRO)
        ensure_periods()
        for spec in COMMUNES:
            commune = ensure_commune(spec)
            ensure_villages(commune, spec.villages)
            setup = setup_commune(
                commune, hostname=spec.hostname(hostname_suffix), port=port, parent=city, intro=spec.intro
            )
            _set_intro(setup.home, spec.intro)

        with tempfile.TemporaryDirectory(prefix="heritage-demo-") as files_dir:
            images = 0
            for spec in COMMUNES:
                images += generate_images(entries_by_commune[spec.name], files_dir)
                options = {"files_dir": files_dir, "verbosity": verbosity}
                if stdout is not None:
                    options["stdout"] = stdout
                call_command(IMPORT_COMMAND, str(spec.path), **options)

    communes = []
    for spec in COMMUNES:
        home = HomePage.objects.get(commune__code=spec.code)
        communes.append(CommuneSummary(spec.name, _site_url(spec.hostname(hostname_suffix), port), _counts(home)))
    return DemoSummary(
        city_url=_site_url(city_hostname, port),
        communes=communes,
        pages_before=pages_before,
        pages_after=HeritagePage.objects.count(),
        images=images,
    )
