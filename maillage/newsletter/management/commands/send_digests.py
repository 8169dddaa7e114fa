"""`manage.py send_digests --base-url https://reseau.example.org`: the members' weekly
digests (run it from a weekly cron job or systemd timer)."""

from django.core.management.base import BaseCommand

from maillage.newsletter.services import digests_send


class Command(BaseCommand):
    help = "Envoie le résumé de la semaine aux membres qui le souhaitent."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://localhost:8000/")

    def handle(self, *args, base_url: str, **options):
        sent = digests_send(base_url=base_url)
        self.stdout.write(f"{sent} résumé(s) envoyé(s).")
