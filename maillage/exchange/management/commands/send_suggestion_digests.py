"""Queue the e-mail digest of new suggestions (run it weekly from cron)."""

from django.core.management.base import BaseCommand

from maillage.exchange.tasks import send_digests


class Command(BaseCommand):
    help = "Met en file l'envoi du résumé des nouvelles suggestions aux membres qui l'ont demandé."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="Adresse du site, pour les liens.")

    def handle(self, *args, base_url: str = "", **options):
        send_digests.enqueue(base_url)
        self.stdout.write(self.style.SUCCESS("Envoi du résumé mis en file."))
