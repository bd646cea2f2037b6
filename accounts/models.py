"""The portal's user: one account per person, signed in by email."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Upper
from knox.models import AbstractAuthToken
from simple_history.models import HistoricalRecords


class AccountManager(UserManager):
    """Email is the identifier; Django's manager expects a username, so it is mapped here."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):  # type: ignore[django-manager-missing]  # knox's base is untyped
    username = None  # type: ignore[assignment]  # email is the identifier
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[AccountManager] = AccountManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["email"]
        # Staff searches by email ("=user__email": UPPER(email) = UPPER(...)) at state scale.
        indexes = [models.Index(Upper("email"), name="user_email_upper")]

    def __str__(self):
        return self.full_name or self.email

    def has_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox): only a SHA-512 digest and the first characters are
    stored; the token itself is shown once, when it is made.

    ``password_stamp`` is the account's session hash when the token was made (the value Django
    uses to end sessions on a password change), so a token made before a password change stops
    working whatever path changed the password. ``second_factor`` says the token was made from a
    session that used the authenticator: only such tokens reach staff data
    (accounts.staff_access).
    """

    # annotated: the type checker cannot see through knox's untyped base model
    name: models.CharField = models.CharField(
        max_length=100, help_text="What the owner uses this token for."
    )
    second_factor: models.BooleanField = models.BooleanField(default=False)
    password_stamp: models.CharField = models.CharField(max_length=128, editable=False)
    last_used_at: models.DateTimeField = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["password_stamp", "last_used_at"])

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.token_key}…)"
