"""factory_boy factories for the newsletter."""

import factory
from django.utils import timezone

from maillage.newsletter.models import Letter, Subscriber


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"abonne{n}@example.org")
    confirmed_at = factory.LazyFunction(timezone.now)


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Letter

    subject = factory.Sequence(lambda n: f"Lettre n°{n}")
    editorial = "Bonjour à toutes et à tous."
