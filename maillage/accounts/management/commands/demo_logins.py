"""`manage.py demo_logins`: who to log in as on the demo network (printed by `make run`)."""

from django.core.management.base import BaseCommand

from maillage.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from maillage.accounts.models import Role, User

LABELS = {Role.MEMBER: "membre", Role.FACILITATOR: "animatrice", Role.ADMIN: "admin"}


class Command(BaseCommand):
    help = "Affiche les comptes de démonstration (membre, animatrice, admin)."

    def handle(self, *args, **options) -> None:
        for email, _name, role in DEMO_LOGINS:
            if User.objects.filter(email=email, is_active=True).exists():
                self.stdout.write(f"  {LABELS[role]:<11} {email}  /  {DEMO_PASSWORD}")
