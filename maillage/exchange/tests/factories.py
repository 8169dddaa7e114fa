"""factory_boy factories for exchange, and a helper for members' consents."""

from datetime import timedelta

import factory
from django.utils import timezone

from maillage.accounts.tests.factories import UserFactory
from maillage.exchange.models import Ad, MatchPreferences


class AdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ad

    kind = "offer"
    title = factory.Sequence(lambda n: f"Annonce n°{n}")
    text = "Je propose un coup de main."
    author = factory.SubFactory(UserFactory)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


def consent(user, *, suggestable=True, introductions=False, digest=False) -> MatchPreferences:
    prefs, _ = MatchPreferences.objects.update_or_create(
        user=user,
        defaults={"suggestable": suggestable, "introductions": introductions, "digest": digest},
    )
    return prefs
