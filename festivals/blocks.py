"""Blocks that only festivals use."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class ProgrammeItemBlock(blocks.StructBlock):
    """One item of the festival programme: a rite, a procession, a game or a performance."""

    day = blocks.CharBlock(help_text=_("Day as the organisers say it, for example 'Mùng 10 tháng 8'."))
    time = blocks.CharBlock(required=False, help_text=_("For example '7:00' or 'buổi sáng'."))
    title = blocks.CharBlock()
    description = blocks.TextBlock(required=False)

    class Meta:
        icon = "time"
        label = _("Programme item")
        label_format = "{day}: {title}"
        template = "festivals/blocks/programme_item_block.html"
