import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from belong.people import roles
from belong.people.sealed import SealedJSONField


class OrgUnit(models.Model):
    """A node of the organisation: institution > campus > department > division or GME program."""

    class Kind(models.TextChoices):
        INSTITUTION = "institution", _("Institution")
        CAMPUS = "campus", _("Campus")
        DEPARTMENT = "department", _("Department")
        DIVISION = "division", _("Division")
        PROGRAM = "program", _("GME program")

    # Kinds only ever sit under a higher kind, so the tree can have no cycles.
    ALLOWED_PARENTS = {
        Kind.INSTITUTION: {None},
        Kind.CAMPUS: {Kind.INSTITUTION},
        Kind.DEPARTMENT: {Kind.CAMPUS, Kind.INSTITUTION},
        Kind.DIVISION: {Kind.DEPARTMENT},
        Kind.PROGRAM: {Kind.DEPARTMENT, Kind.CAMPUS},
    }

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind not in self.ALLOWED_PARENTS:
            return  # the kind's own field says what is wrong with it
        parent_kind = self.parent.kind if self.parent_id else None
        if parent_kind not in self.ALLOWED_PARENTS[self.kind]:
            raise ValidationError(
                {
                    "parent": _("A %(kind)s cannot sit under %(parent)s.")
                    % {"kind": self.get_kind_display(), "parent": self.parent or _("nothing")}
                }
            )

    def ancestors(self):
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("An email address is required")
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class Person(AbstractBaseUser, PermissionsMixin):
    """Everyone who signs in. Self-identification is not here: it is special-category data with
    its own sealed, consented storage (SelfIdentification, Consent; belong.people.privacy)."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        FACULTY = "faculty", _("Faculty")
        RESIDENT = "resident", _("Resident")
        FELLOW = "fellow", _("Fellow")
        STUDENT = "student", _("Student")
        APPLICANT = "applicant", _("Applicant")
        COMMUNITY = "community", _("Community member")

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        SPANISH = "es", "Español"

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_name = models.CharField(
        _("preferred name"),
        max_length=120,
        blank=True,
        help_text=_("The name you want people to call you."),
    )
    pronouns = models.CharField(
        _("pronouns"),
        max_length=60,
        blank=True,
        help_text=_("For example: she/her, he/him, they/them."),
    )
    name_pronunciation = models.CharField(
        _("name pronunciation"),
        max_length=120,
        blank=True,
        help_text=_("How to say your name, for example: AH-mah-dee."),
    )
    credentials = models.CharField(
        _("credentials"), max_length=80, blank=True, help_text=_("For example: MD, PhD, MEd.")
    )
    kind = models.CharField(_("I am"), max_length=20, choices=Kind.choices, default=Kind.STAFF)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("department or program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    campus = models.ForeignKey(
        OrgUnit,
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campus_people",
        limit_choices_to={"kind": OrgUnit.Kind.CAMPUS},
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    email_announcements = models.BooleanField(
        _("email me announcements from my collectives"), default=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the Django admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Raised by "sign out everywhere": every session signed in before ends at its next request
    # (it is part of the session's auth hash, as the password is).
    session_epoch = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    # What the institution says (issue 16): filled by single sign-on claims, SCIM or a roster
    # file, never by the person. `directory_source` names who keeps kind, org unit, campus and
    # the fields below; when it is set, the profile shows them read-only.
    class Source(models.TextChoices):
        SELF = "", _("The person")
        SSO = "sso", _("Single sign-on")
        SCIM = "scim", _("SCIM provisioning")
        ROSTER = "roster", _("HR roster file")

    class HrStatus(models.TextChoices):
        UNKNOWN = "", _("Not given")
        ACTIVE = "active", _("Active")
        LEAVE = "leave", _("On leave")
        TERMINATED = "terminated", _("Terminated")

    employee_id = models.CharField(
        _("employee id"), max_length=64, null=True, blank=True, unique=True, default=None
    )
    directory_source = models.CharField(
        _("kept by"),
        max_length=10,
        choices=Source.choices,
        blank=True,
        default="",
        db_default="",
    )
    hr_status = models.CharField(
        _("HR status"),
        max_length=12,
        choices=HrStatus.choices,
        blank=True,
        default="",
        db_default="",
    )
    hired_on = models.DateField(_("hire date"), null=True, blank=True)
    terminated_on = models.DateField(_("termination date"), null=True, blank=True)
    pgy_year = models.PositiveSmallIntegerField(_("PGY year"), null=True, blank=True)

    objects = PersonManager()

    # An erased account's address (belong.people.personal_data.erase): a reserved domain.
    ERASED_DOMAIN = "erased.invalid"

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def get_session_auth_hash(self):
        """Django's (from the password), and the session epoch once it was raised: a new
        password or "sign out everywhere" ends every session signed in before."""
        if not self.session_epoch:
            return super().get_session_auth_hash()
        return salted_hmac(
            "belong.people.Person.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            algorithm="sha256",
        ).hexdigest()

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_erased(self):
        return self.email.endswith("@" + self.ERASED_DOMAIN)

    @property
    def display_name(self):
        if self.is_erased:
            return str(_("Former member"))
        name = self.preferred_name or self.full_name or self.email
        return f"{name}, {self.credentials}" if self.credentials else name

    @property
    def formal_name(self):
        """The name for certificates and other public records: the full name (with
        credentials), never the email address."""
        name = self.full_name or self.preferred_name or _("Name not given")
        return f"{name}, {self.credentials}" if self.credentials else str(name)

    def get_short_name(self):
        return self.preferred_name or self.full_name

    def get_full_name(self):
        return self.full_name

    def has_role(self, *names):
        """Organisation-wide roles; a superuser holds them all. Cached per instance."""
        if not self.is_authenticated or not self.is_active:
            return False
        if self.is_superuser:
            return True
        if not hasattr(self, "_role_cache"):
            self._role_cache = set(self.groups.values_list("name", flat=True))
        return bool(self._role_cache.intersection(names))

    @property
    def is_dei_admin(self):
        return self.has_role(roles.DEI_ADMINISTRATOR)


def token_expiry():
    """When a token made now expires by default (settings.API_TOKEN_DAYS)."""
    return timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS)


def default_scopes():
    return [ApiToken.Scope.READ.value, ApiToken.Scope.WRITE.value]


class ApiToken(models.Model):
    """A personal access token. Only a SHA-256 of the secret is kept: the token is shown once.
    It lasts until `expires_at` (at most settings.API_TOKEN_MAX_DAYS) and may do what its
    `scopes` say: read (safe methods), write (the others), identity (one's own
    self-identification and consents, whatever the method)."""

    class Scope(models.TextChoices):
        READ = "read", pgettext_lazy("what an API token may do", "Read")
        WRITE = "write", pgettext_lazy("what an API token may do", "Write")
        IDENTITY = "identity", _("My self-identification and consents")

    PREFIX = "blg_"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    hint = models.CharField(
        max_length=12, help_text=_("The first characters, to tell tokens apart.")
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), default=token_expiry)
    scopes = models.JSONField(_("scopes"), default=default_scopes)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self):
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    def scope_labels(self):
        labels = dict(self.Scope.choices)
        return [labels[scope] for scope in self.Scope.values if scope in self.scopes]


class ExternalIdentity(models.Model):
    """Who a person is at an identity provider: the issuer (an OpenID provider's issuer URL, a
    SAML identity provider's entity id, the SCIM client) and the subject it gives them, which
    never changes there. A person is found by both; erasure deletes the row."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="external_ids")
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique")
        ]
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")

    def __str__(self):
        return f"{self.issuer} {self.subject}"


class ScimToken(models.Model):
    """The bearer token a SCIM client (Entra, Okta) provisions with, made by `manage.py
    scim_token`. Only a SHA-256 of the secret is kept; revoking is for good."""

    name = models.CharField(_("name"), max_length=80)
    hint = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SCIM token")
        verbose_name_plural = _("SCIM tokens")

    def __str__(self):
        return f"{self.name} (…{self.hint})"

    hash = staticmethod(ApiToken.hash)  # the same digest as a person's API token

    @classmethod
    def new_secret(cls) -> str:
        return "scim_" + secrets.token_urlsafe(32)

    @property
    def is_active(self):
        return self.revoked_at is None


class RosterImport(models.Model):
    """One run of an HR roster file (`manage.py import_people`): what it would change or
    changed, line by line, for the operator."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Applied")
        DRY_RUN = "dry_run", _("Dry run")
        REFUSED = "refused", _("Refused (nothing changed)")

    file_name = models.CharField(_("file"), max_length=255)
    digest = models.CharField(max_length=64)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self):
        return f"{self.file_name} ({self.get_outcome_display()})"


class AuditEvent(models.Model):
    """Who did what to which object: staff actions and every read of sensitive data by someone
    other than its owner."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.verb} {self.object_type}:{self.object_id}"


class SelfIdentification(models.Model):
    """A person's answers to the self-identification questions (belong.people.identity), sealed
    at rest as one Fernet token. Shown to its owner only; read for a use only while the person's
    consent to that use stands (belong.people.privacy). Never in the admin, exports or logs."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_identification"
    )
    answers = SealedJSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-identification")
        verbose_name_plural = _("self-identifications")

    def __str__(self):
        return f"self-identification {self.pk}"


class Consent(models.Model):
    """A person's consent to one use of their self-identification, with the moment it was given
    and, once revoked, the moment it was revoked. Giving it again makes a new row, so the
    history stays; at most one stands per person and purpose."""

    class Purpose(models.TextChoices):
        REPORTING = "reporting", _("Aggregate reporting")
        MATCHING = "matching", _("Mentorship matching")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    given_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person", "purpose", "-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_standing_consent_per_purpose",
            ),
        ]
        indexes = [models.Index(fields=["purpose", "revoked_at"])]

    def __str__(self):
        return f"{self.person_id} {self.purpose} {self.given_at:%Y-%m-%d}"

    @property
    def stands(self):
        return self.revoked_at is None
