"""Blocks that only relics use."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class ArtefactBlock(blocks.StructBlock):
    """An object kept at the relic: a statue, a palanquin, a bell, a royal decree."""

    name = blocks.CharBlock()
    date_text = blocks.CharBlock(required=False, label=_("date"), help_text=_("As the source writes it."))
    material = blocks.CharBlock(required=False)
    description = blocks.TextBlock(required=False)
    image = ImageChooserBlock(required=False)

    class Meta:
        icon = "pick"
        label = _("Artefact")
        label_format = "{name}"
        template = "sites/blocks/artefact_block.html"
