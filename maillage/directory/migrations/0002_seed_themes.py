"""The transition themes a network starts with; facilitators edit them in the site."""

from django.db import migrations

THEMES = [
    ("Énergie", "energie"),
    ("Alimentation", "alimentation"),
    ("Mobilités", "mobilites"),
    ("Économie sociale et solidaire", "economie-sociale-et-solidaire"),
    ("Cohésion sociale", "cohesion-sociale"),
    ("Participation citoyenne", "participation-citoyenne"),
    ("Numérique", "numerique"),
    ("Culture", "culture"),
    ("Biodiversité", "biodiversite"),
    ("Habitat", "habitat"),
    ("Santé", "sante"),
    ("Éducation populaire", "education-populaire"),
    ("Eau", "eau"),
    ("Déchets et réemploi", "dechets-et-reemploi"),
    ("Agriculture", "agriculture"),
    ("Coopération territoriale", "cooperation-territoriale"),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("directory", "Theme")
    for position, (name, slug) in enumerate(THEMES):
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
