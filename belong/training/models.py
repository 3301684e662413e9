from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from belong.events.models import Event
from belong.lib.models import OrderedText, SingletonPage


class TrainingPage(SingletonPage):
    """The Education & Training page's own texts, as the seed page has them."""

    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    foundational_heading = models.CharField(_("foundational heading"), max_length=200)
    foundational_intro = models.TextField(
        _("foundational trainings introduction"),
        help_text=_("Paragraphs separated by a blank line."),
    )
    request_note = models.TextField(_("group request note"), blank=True)

    class Meta:
        verbose_name = _("training page")
        verbose_name_plural = _("training page")

    def __str__(self):
        return self.title


class Contact(models.Model):
    """Who to ask about trainings (the seed page's "Meet the Team")."""

    name = models.CharField(_("name"), max_length=200)
    credentials = models.CharField(_("credentials"), max_length=80, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    bio = models.TextField(_("about"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("training contact")
        verbose_name_plural = _("training contacts")

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class Course(models.Model):
    """A workshop in the catalog. Its sessions are events hosted by it."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"))
    duration_minutes = models.PositiveIntegerField(_("length in minutes"), null=True, blank=True)
    formats = models.CharField(
        _("formats"),
        max_length=60,
        blank=True,
        help_text=_("How it is offered, for example: Virtual, In person."),
    )
    prework = models.TextField(_("pre-work"), blank=True)
    recorded = models.BooleanField(
        _("recorded"),
        default=False,
        help_text=_("Workshops are never recorded, for confidentiality."),
    )
    foundational = models.BooleanField(_("foundational"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    sessions = GenericRelation(
        Event,
        content_type_field="host_type",
        object_id_field="host_id",
        related_query_name="course",
    )

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("training:course", args=[self.slug])


class LearningObjective(OrderedText):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="objectives")

    class Meta(OrderedText.Meta):
        verbose_name = _("learning objective")
        verbose_name_plural = _("learning objectives")
