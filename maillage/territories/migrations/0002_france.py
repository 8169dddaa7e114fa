"""France itself, the one national territory: present from the start, before any load,
so that "the whole country" can be chosen and linked to on an empty site."""

from django.db import migrations


def create_france(apps, schema_editor):
    Territory = apps.get_model("territories", "Territory")
    Territory.objects.get_or_create(
        kind="national", code="FR", defaults={"name": "France", "search_name": "france"}
    )


class Migration(migrations.Migration):
    dependencies = [("territories", "0001_initial")]

    operations = [migrations.RunPython(create_france, migrations.RunPython.noop)]
