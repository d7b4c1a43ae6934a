"""Give plaque codes to the entries published before plaque codes existed (safe to run twice)."""

from django.conf import settings
from django.db import migrations
from django.db.models import F


def assign_codes(apps, schema_editor):
    HeritagePage = apps.get_model("heritage", "HeritagePage")
    HomePage = apps.get_model("heritage", "HomePage")
    PlaqueCode = apps.get_model("heritage", "PlaqueCode")
    PlaqueSequence = apps.get_model("heritage", "PlaqueSequence")
    city_prefix = getattr(settings, "PLAQUE_CITY_PREFIX", "HP")
    # Longest path first: the nearest commune home above a page.
    homes = sorted(
        HomePage.objects.values_list("path", "commune_id", "commune__code"), key=lambda home: -len(home[0])
    )
    pages = (
        HeritagePage.objects.filter(live=True, plaque_code__isnull=True, alias_of__isnull=True)
        .order_by("first_published_at", "path")
        .values_list("pk", "path", "title")
    )
    for pk, path, title in pages:
        commune_id, prefix = next(((cid, code) for home_path, cid, code in homes if path.startswith(home_path)), (None, city_prefix))
        PlaqueSequence.objects.get_or_create(prefix=prefix)
        PlaqueSequence.objects.filter(prefix=prefix).update(last_number=F("last_number") + 1)
        number = PlaqueSequence.objects.get(prefix=prefix).last_number
        PlaqueCode.objects.create(
            code=f"{prefix}-{number:04d}", prefix=prefix, number=number, page_id=pk, commune_id=commune_id, title=title[:255]
        )


class Migration(migrations.Migration):
    dependencies = [("heritage", "0002_add_plaque_codes")]

    # Codes may already be printed: unapplying keeps them.
    operations = [migrations.RunPython(assign_codes, migrations.RunPython.noop)]
