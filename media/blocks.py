"""StreamField blocks for images, galleries, audio and video."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtailmedia.blocks import AudioChooserBlock, VideoChooserBlock


class ImageBlock(blocks.StructBlock):
    """One image with an optional caption; credit and licence come from the image itself."""

    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, help_text=_("Leave empty to use the image's own caption."))

    class Meta:
        icon = "image"
        label = _("Image")
        template = "media/blocks/image_block.html"


class GalleryBlock(blocks.StructBlock):
    """An ordered set of images that visitors can page through."""

    title = blocks.CharBlock(required=False)
    images = blocks.ListBlock(ImageBlock(), min_num=1)

    class Meta:
        icon = "image"
        label = _("Gallery")
        template = "media/blocks/gallery_block.html"


class EmbedVideoBlock(blocks.StructBlock):
    """A video hosted elsewhere (YouTube, Vimeo), embedded by its address."""

    video = EmbedBlock(help_text=_("Address of the video page, for example on YouTube."))
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "media"
        label = _("Embedded video")
        template = "media/blocks/embed_video_block.html"


class AudioBlock(blocks.StructBlock):
    """An audio recording from the media library, such as an audio guide, with its transcript."""

    audio = AudioChooserBlock()
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "media"
        label = _("Audio")
        template = "media/blocks/audio_block.html"


class VideoBlock(blocks.StructBlock):
    """A video from the media library."""

    video = VideoChooserBlock()
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "media/blocks/video_block.html"
