"""Codes are given on first publication; old printed paths follow their entry's code."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.signals import page_published

from ..models import HeritagePage
from ..models.plaques import LegacyPlaqueCode
from . import plaque_code
from .codes import assign_code


@receiver(page_published)
def give_plaque_code(sender, instance, **kwargs):
    # An alias shows the same entry elsewhere in the tree: the plaque belongs to the original.
    if isinstance(instance, HeritagePage) and not instance.alias_of_id:
        assign_code(instance)


def _redirect_path(legacy):
    return Redirect.normalise_path(legacy.old_code)


@receiver(post_save, sender=LegacyPlaqueCode)
def sync_legacy_path(sender, instance, **kwargs):
    """An old printed address (a path) becomes a Wagtail redirect to the entry's short URL.

    Wagtail's redirects answer paths that match no page; pointing them at ``/q/<code>`` rather
    than at the page keeps them working, and counted, whatever happens to the page.
    """
    if not instance.is_path:
        return
    code = plaque_code(instance.page) if instance.page_id else None
    defaults = {
        "is_permanent": False,
        "redirect_page": None,
        "redirect_link": reverse("plaque", args=[code]) if code else "",
    }
    if not code:
        defaults["redirect_page"] = instance.page
    Redirect.objects.update_or_create(old_path=_redirect_path(instance), site=None, defaults=defaults)


@receiver(post_delete, sender=LegacyPlaqueCode)
def drop_legacy_path(sender, instance, **kwargs):
    if instance.is_path:
        Redirect.objects.filter(old_path=_redirect_path(instance), site=None).delete()
