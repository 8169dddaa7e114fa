"""Demo accounts: three logins (member, facilitator, admin) and many fictional members."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from maillage.core.demo import DemoContext, register
from maillage.core.text import strip_accents

from .models import CharterAcceptance, CharterVersion, Role, User

DEMO_PASSWORD = "reseau-demo-2024"  # noqa: S105 - printed by `make run`, demo only
DEMO_LOGINS = [
    ("membre@demo.maillage.example", "Camille Roux", Role.MEMBER),
    ("animation@demo.maillage.example", "Sophie Giraud", Role.FACILITATOR),
    ("admin@demo.maillage.example", "Admin du réseau", Role.ADMIN),
]
BATCH = 5000


def _slug(text: str) -> str:
    return "".join(c for c in strip_accents(text).lower() if c.isalnum() or c in ".-")


def demo_people_emails(ctx: DemoContext, count: int) -> list[tuple[str, str]]:
    """(email, name) of the n first demo people for this seed: the same on every run."""
    people = []
    for i in range(count):
        first, last = ctx.fake.first_name(), ctx.fake.last_name()
        people.append((f"{_slug(first)}.{_slug(last)}.{i}@demo.example.org", f"{first} {last}"))
    return people


def generate(ctx: DemoContext) -> None:
    charter = CharterVersion.objects.current()
    now = timezone.now()
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        for email, name, role in DEMO_LOGINS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "display_name": name,
                    "role": role,
                    "joined_at": now,
                    "password": password,
                },
            )
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if charter:
                CharterAcceptance.objects.get_or_create(user=user, charter=charter)

    count = ctx.sizes.get("people", 0)
    people = demo_people_emails(ctx, count)
    unusable = make_password(None)
    for start in tqdm(range(0, count, BATCH), desc="membres", unit="lot", disable=count < BATCH):
        chunk = people[start : start + BATCH]
        with transaction.atomic():
            User.objects.bulk_create(
                [
                    User(
                        email=email,
                        display_name=name,
                        role=Role.MEMBER,
                        joined_at=now,
                        password=unusable,
                    )
                    for email, name in chunk
                ],
                ignore_conflicts=True,
            )
            if charter:
                ids = User.objects.filter(email__in=[e for e, _ in chunk]).values_list(
                    "pk", flat=True
                )
                CharterAcceptance.objects.bulk_create(
                    [CharterAcceptance(user_id=pk, charter=charter) for pk in ids],
                    ignore_conflicts=True,
                )
    ctx.shared["people"] = people
    ctx.say(f"Comptes : {User.objects.members().count()} membres.")


register("accounts", generate, {"people": (120, "nombre de membres fictifs")})
