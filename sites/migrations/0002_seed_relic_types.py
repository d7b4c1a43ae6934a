from django.db import migrations

CODES = [
    "historical",
    "historical_event",
    "historical_person",
    "architectural_artistic",
    "archaeological",
    "scenic",
    "mixed",
]


def seed(apps, schema_editor):
    RelicType = apps.get_model("sites", "RelicType")
    for order, code in enumerate(CODES):
        RelicType.objects.update_or_create(code=code, defaults={"sort_order": order})


def unseed(apps, schema_editor):
    apps.get_model("sites", "RelicType").objects.filter(code__in=CODES, relics=None).delete()


class Migration(migrations.Migration):
    dependencies = [("sites", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
