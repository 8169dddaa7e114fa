"""Demo letters: two letters already sent (archived, with their frozen sections) and a
draft, so that the archive, the feed and the facilitators' desk show something.
Idempotent: letters are found by their subject."""

from datetime import timedelta

from django.utils import timezone

from maillage.core.demo import DemoContext, register

from . import services
from .models import Letter, LetterStatus

LETTERS = [
    (
        "La lettre du réseau — automne",
        60,
        "Bonjour à toutes et à tous,\n\nL'automne a été riche : **trois forums ouverts**, "
        "de nouvelles structures dans l'Aude et l'Hérault, et un groupe de travail sur "
        "l'alimentation locale qui cherche encore des bras.\n\nBonne lecture !",
    ),
    (
        "La lettre du réseau — hiver",
        15,
        "Bonjour,\n\nAvant les fêtes, un point sur les **initiatives nées ce trimestre** "
        "et les rencontres de janvier. Pensez à nous écrire pour la prochaine lettre !",
    ),
]


def run(ctx: DemoContext) -> None:
    now = timezone.now()
    for subject, days_ago, editorial in LETTERS:
        if Letter.objects.filter(subject=subject).exists():
            continue
        letter = Letter.objects.create(subject=subject, editorial=editorial)
        sent_at = now - timedelta(days=days_ago)
        letter.since = sent_at - timedelta(days=30)
        letter.sections = services.letter_sections(letter, now=sent_at)
        letter.status = LetterStatus.SENT
        letter.sent_at = sent_at
        letter.save()
    Letter.objects.get_or_create(
        subject="La lettre du réseau — printemps (brouillon)",
        defaults={"editorial": "Bonjour,\n\nÀ compléter avant l'envoi."},
    )
    ctx.say("newsletter: lettres de démonstration prêtes")


register("newsletter", run)
