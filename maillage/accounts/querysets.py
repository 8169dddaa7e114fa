"""Reads on users, in the words people use."""

from django.contrib.auth.base_user import BaseUserManager
from django.db import models


class UserQuerySet(models.QuerySet):
    def active(self) -> "UserQuerySet":
        return self.filter(is_active=True, deleted_at__isnull=True)

    def members(self) -> "UserQuerySet":
        """People who joined: an active account that accepted the charter once."""
        return self.active().filter(joined_at__isnull=False)

    def facilitators(self) -> "UserQuerySet":
        return self.active().filter(role__in=["facilitator", "admin"])


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.pop("is_staff", None)
        extra.pop("is_superuser", None)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.pop("is_staff", None)
        extra.pop("is_superuser", None)
        extra["role"] = "admin"
        return self._create_user(email, password, **extra)


class CharterVersionQuerySet(models.QuerySet):
    def current(self):
        return self.order_by("-version").first()
