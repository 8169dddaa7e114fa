"""factory_boy factories for accounts."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from maillage.accounts.models import CharterAcceptance, CharterVersion, User

PASSWORD = "un-mot-de-passe-solide"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    display_name = factory.Faker("name", locale="fr_FR")
    role = "member"
    joined_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_and_charter(obj, create, extracted, **kwargs):
        if not create:
            return
        EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
        charter = CharterVersion.objects.current()
        if charter and obj.joined_at:
            CharterAcceptance.objects.get_or_create(user=obj, charter=charter)
