"""The user model itself: how a user is named on pages."""

import pytest

from maillage.accounts.models import User


@pytest.mark.django_db
def test_a_user_without_a_display_name_is_never_shown_as_their_address():
    user = User.objects.create_user(email="camille.durand@example.org", password="x" * 12)
    user.display_name = ""
    for shown in (str(user), user.get_short_name()):
        assert "camille" not in shown
        assert "example.org" not in shown
    assert str(user) == f"Membre n° {user.pk}"
