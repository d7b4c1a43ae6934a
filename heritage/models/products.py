"""Characteristic cultural products: crafts, dishes and OCOP-certified goods of a commune."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from ..filters import EntryFilter, choice_options, common_filters
from .pages import GeoLocationMixin, HeritageIndexPage, HeritagePage


class ProductKind(models.TextChoices):
    CRAFT = "craft", _("Traditional craft")
    DISH = "dish", _("Dish or speciality")
    OCOP = "ocop", _("OCOP product")
    OTHER = "other", _("Other product")


class ProductPage(GeoLocationMixin, HeritagePage):
    """A characteristic cultural product of the commune, with who makes it and how to reach them."""

    entry_type = "product"

    product_kind = models.CharField(_("kind"), max_length=16, choices=ProductKind.choices, default=ProductKind.CRAFT)
    ocop_stars = models.PositiveSmallIntegerField(
        _("OCOP stars"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(5)],
        help_text=_("From 3 to 5, for OCOP-certified products."),
    )
    maker_name = models.CharField(
        _("maker"), max_length=255, blank=True, help_text=_("Household, cooperative or company.")
    )
    maker_phone = models.CharField(_("phone"), max_length=32, blank=True)
    maker_address = models.CharField(_("address"), max_length=255, blank=True)
    maker_website = models.URLField(_("website"), blank=True)

    parent_page_types = ["heritage.ProductIndexPage"]
    subpage_types = []

    content_panels = [
        *HeritagePage.intro_panels,
        FieldRowPanel([FieldPanel("product_kind"), FieldPanel("ocop_stars")]),
        MultiFieldPanel(
            [
                FieldPanel("maker_name"),
                FieldPanel("maker_phone"),
                FieldPanel("maker_address"),
                FieldPanel("maker_website"),
            ],
            heading=_("Maker"),
        ),
        FieldPanel("body"),
        *HeritagePage.names_panels,
        *HeritagePage.classification_panels,
        *GeoLocationMixin.location_panels,
        *HeritagePage.reference_panels,
    ]
    search_fields = HeritagePage.search_fields + [
        index.SearchField("maker_name"),
        index.FilterField("product_kind"),
    ]

    class Meta:
        verbose_name = _("cultural product")
        verbose_name_plural = _("cultural products")

    def search_document(self):
        document = super().search_document()
        document["text"] += [self.maker_name, self.maker_address]
        document["facets"]["product_kind"] = [(self.product_kind, str(self.get_product_kind_display()))]
        document["location"] = self.location_for_search
        return document

    def clean(self):
        super().clean()
        if self.ocop_stars and self.product_kind != ProductKind.OCOP:
            raise ValidationError({"ocop_stars": _("Only OCOP products have stars.")})


class ProductIndexPage(HeritageIndexPage):
    """The list of a commune's characteristic products."""

    default_title = _("Cultural products")
    home_order = 40
    entry_model = "heritage.ProductPage"
    subpage_types = ["heritage.ProductPage"]

    class Meta:
        verbose_name = _("product index")

    def get_filters(self):
        return [EntryFilter("kind", _("Kind"), "product_kind", choice_options(ProductKind.choices)), *common_filters()]
