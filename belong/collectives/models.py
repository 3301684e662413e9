from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belong.lib.models import OrderedText, SingletonPage


class CollectivesPage(SingletonPage):
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"))
    program_name = models.CharField(_("program name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("collectives page")
        verbose_name_plural = _("collectives page")

    def __str__(self):
        return self.title


class FocusArea(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("area of focus")
        verbose_name_plural = _("areas of focus")

    def __str__(self):
        return self.name


class Collective(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_to_confirm = models.BooleanField(
        _("name to confirm"),
        default=False,
        help_text=_("The source page did not name this collective: an editor should confirm it."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    mission = models.TextField(
        _("mission"), blank=True, help_text=_("Paragraphs separated by a blank line.")
    )
    vision = models.TextField(_("vision"), blank=True)
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("areas of focus"), blank=True, related_name="collectives"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("collective")
        verbose_name_plural = _("collectives")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("collectives:detail", args=[self.slug])


class Commitment(OrderedText):
    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="commitments")

    class Meta(OrderedText.Meta):
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")


class Membership(models.Model):
    """Private by default: only the collective's leaders see it unless its person opens it."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member")
        ALLY = "ally", _("Ally")

    class Visibility(models.TextChoices):
        LEADERS = "leaders", _("Leaders only")
        MEMBERS = "members", _("Members of this collective")
        ORGANIZATION = "organization", _("Everyone in the organization")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(_("as"), max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    visibility = models.CharField(
        _("who may see it"), max_length=20, choices=Visibility.choices, default=Visibility.LEADERS
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "collective"], name="one_membership_per_collective"
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.person_id} in {self.collective_id} ({self.kind})"


class LeaderRole(models.Model):
    class Title(models.TextChoices):
        CHAIR = "chair", _("Chair")
        CO_CHAIR = "co_chair", _("Co-chair")
        EXECUTIVE_SPONSOR = "executive_sponsor", _("Executive sponsor")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leader_roles"
    )
    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="leader_roles"
    )
    title = models.CharField(_("title"), max_length=30, choices=Title.choices, default=Title.CHAIR)
    starts_on = models.DateField(_("term starts"), default=timezone.localdate)
    ends_on = models.DateField(_("term ends"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "collective", "title"], name="one_title_per_leader"
            ),
        ]
        verbose_name = _("leader role")
        verbose_name_plural = _("leader roles")

    def __str__(self):
        return f"{self.get_title_display()}: {self.person} ({self.collective})"
