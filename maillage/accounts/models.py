"""Users with their role in the network, the versioned charter, and sessions tied to users."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _

from .querysets import CharterVersionQuerySet, UserManager


class Role(models.TextChoices):
    MEMBER = "member", _("Membre")
    FACILITATOR = "facilitator", _("Animateur·rice")
    ADMIN = "admin", _("Administrateur·rice")


class User(AbstractBaseUser, PermissionsMixin):
    """A person's account. Their public profile lives in the directory, not here."""

    email = models.EmailField(_("adresse électronique"), unique=True)
    display_name = models.CharField(_("nom affiché"), max_length=150, blank=True)
    role = models.CharField(_("rôle"), max_length=20, choices=Role, default=Role.MEMBER)
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("compte créé le"), auto_now_add=True)
    joined_at = models.DateTimeField(
        _("membre depuis"),
        null=True,
        blank=True,
        help_text=_("Date de la première acceptation de la charte."),
    )
    deleted_at = models.DateTimeField(_("supprimé le"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    # The fields that identify a person: exported on request, erased on deletion.
    PERSONAL_FIELDS = ("email", "display_name", "last_login", "date_joined", "joined_at")

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")

    def __str__(self) -> str:
        # Never the e-mail address: templates and logs print users, and the address is
        # personal data that its owner did not choose to show.
        return self.display_name or _("Membre n° %(pk)s") % {"pk": self.pk}

    def save(self, *args, **kwargs):
        # The admin role is Django's superuser: one source of truth, the role.
        self.is_superuser = self.role == Role.ADMIN
        super().save(*args, **kwargs)

    @property
    def is_staff(self) -> bool:
        """Only admins enter the Django admin; facilitators work in the site's pages."""
        return self.is_active and self.role == Role.ADMIN

    @property
    def is_member(self) -> bool:
        return self.is_active and self.joined_at is not None and self.deleted_at is None

    @property
    def is_facilitator(self) -> bool:
        return self.is_member and self.role in (Role.FACILITATOR, Role.ADMIN)

    @property
    def is_network_admin(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    def get_short_name(self) -> str:
        # Not the start of the e-mail address either: pages print this name.
        return self.display_name or str(self)


class CharterVersion(models.Model):
    """One published version of the network's charter. Published versions never change."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text = models.TextField(_("texte"), help_text=_("Mise en forme Markdown simple."))
    summary = models.CharField(_("résumé des changements"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("publiée le"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publiée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CharterVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version de la charte")
        verbose_name_plural = _("versions de la charte")
        ordering = ["-version"]

    def __str__(self) -> str:
        return _("Charte, version %(version)s") % {"version": self.version}


class CharterAcceptance(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="charter_acceptances"
    )
    charter = models.ForeignKey(
        CharterVersion, on_delete=models.PROTECT, related_name="acceptances"
    )
    accepted_at = models.DateTimeField(_("acceptée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("acceptation de la charte")
        verbose_name_plural = _("acceptations de la charte")
        constraints = [
            models.UniqueConstraint(fields=["user", "charter"], name="one_acceptance_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.charter}"


class UserSession(AbstractBaseSession):
    """Django's database session, plus the user it belongs to, so that deleting an
    account (or logging out everywhere) can end all of that user's sessions at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
