"""A first charter, so that joining the network always means accepting one.

Admins replace it from the site (« Modifier la charte »); this text is a starting point
drawn from the charters that territorial networks commonly adopt.
"""

from django.db import migrations

TEXT = """## Pourquoi ce réseau

Nous sommes des habitant·es, des élu·es, des agent·es de collectivités, des associations
et des entreprises qui agissent pour la transition écologique et démocratique de nos
territoires. Ce réseau nous sert à **nous connaître**, **agir ensemble**, **nous faire
connaître** et **capitaliser** ce que nous apprenons.

## Nos engagements

- **Coopérer plutôt que concurrencer** : partager nos expériences, nos ressources et nos
  contacts, réussites comme échecs.
- **Respecter chacun·e** : écouter, accueillir la diversité des points de vue, ne jamais
  stigmatiser un projet qui n'a pas abouti.
- **Protéger les personnes** : ne pas réutiliser les coordonnées d'un membre sans son
  accord, ne pas démarcher commercialement.
- **Partager librement** : ce que nous publions ensemble est réutilisable sous la licence
  choisie par le réseau, en citant ses auteur·rices.
- **Faire vivre le réseau** : tenir à jour ses informations, signaler les erreurs.

## Vos données

Vos coordonnées restent privées tant que vous ne choisissez pas, champ par champ, de les
montrer. Vous pouvez à tout moment télécharger vos données ou supprimer votre compte.
"""


def create_charter(apps, schema_editor):
    CharterVersion = apps.get_model("accounts", "CharterVersion")
    if not CharterVersion.objects.exists():
        CharterVersion.objects.create(
            version=1, text=TEXT, summary="Première version de la charte."
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_charter, migrations.RunPython.noop)]
