"""StreamField blocks shared by every kind of heritage entry."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from media.blocks import AudioBlock, EmbedVideoBlock, GalleryBlock, ImageBlock, VideoBlock

from .dates import DateParseError, parse_years

INLINE_RICH_TEXT_FEATURES = ["bold", "italic", "link"]
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class CitationBlock(blocks.StructBlock):
    """A pointer into one of the archive's bibliographic sources, such as a page of a book."""

    source = SnippetChooserBlock("heritage.Source", required=False)
    locator = blocks.CharBlock(required=False, max_length=100, help_text=_("Page or section, for example 'tr. 45'."))

    class Meta:
        icon = "doc-full"
        label = _("Source")
        form_classname = "struct-block citation-block"


class QuoteBlock(blocks.StructBlock):
    """A quotation, with who said or wrote it and where it is recorded."""

    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)
    citation = CitationBlock(required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "heritage/blocks/quote_block.html"
        preview_value = {"text": "Nam quốc sơn hà Nam đế cư", "attribution": "Lý Thường Kiệt"}


class InscriptionBlock(blocks.StructBlock):
    """A stele, horizontal board or parallel sentence: the original script, its reading and meaning."""

    title = blocks.CharBlock(help_text=_("What and where it is, for example 'Hoành phi ở tiền đường'."))
    original = blocks.TextBlock(required=False, help_text=_("Text in the original script (Hán, Nôm)."))
    transliteration = blocks.TextBlock(required=False, help_text=_("Sino-Vietnamese reading (phiên âm)."))
    translation = blocks.TextBlock(required=False, help_text=_("Meaning in modern Vietnamese (dịch nghĩa)."))
    citation = CitationBlock(required=False)

    def clean(self, value):
        value = super().clean(value)
        if not any(value.get(part) for part in ("original", "transliteration", "translation")):
            raise StructBlockValidationError(
                block_errors={"original": blocks.BlockValidationError(_("Give the text, its reading or its meaning."))}
            )
        return value

    class Meta:
        icon = "pilcrow"
        label = _("Inscription")
        template = "heritage/blocks/inscription_block.html"
        preview_value = {"title": "Hoành phi", "original": "萬古英靈", "transliteration": "Vạn cổ anh linh"}


class TimelineEntryBlock(blocks.StructBlock):
    """One dated event in the history of a relic, festival or person."""

    date_text = blocks.CharBlock(
        label=_("date"), help_text=_("As the source writes it: '1288', 'khoảng 1230', 'thế kỷ XIII', '40 TCN'.")
    )
    text = blocks.RichTextBlock(features=INLINE_RICH_TEXT_FEATURES)
    citation = CitationBlock(required=False)

    def clean(self, value):
        value = super().clean(value)
        try:
            parse_years(value["date_text"])
        except DateParseError as error:
            raise StructBlockValidationError(
                block_errors={"date_text": blocks.BlockValidationError(str(error))}
            ) from error
        return value

    class Meta:
        icon = "date"
        label = _("Timeline entry")
        label_format = "{date_text}"
        template = "heritage/blocks/timeline_entry_block.html"
        preview_value = {"date_text": "1288", "text": "Chiến thắng Bạch Đằng."}


class StoryBlock(blocks.StreamBlock):
    """The body of an entry: text, pictures, quotations, inscriptions and a timeline."""

    heading = blocks.CharBlock(
        form_classname="title", icon="title", label=_("Heading"), template="heritage/blocks/heading_block.html"
    )
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow", label=_("Paragraph"))
    image = ImageBlock()
    gallery = GalleryBlock()
    quote = QuoteBlock()
    inscription = InscriptionBlock()
    timeline_entry = TimelineEntryBlock()
    embed_video = EmbedVideoBlock()
    video = VideoBlock()
    audio = AudioBlock()

    class Meta:
        icon = "doc-full"
        label = _("Body")
