from django.db import models
from django.utils.translation import gettext_lazy as _

from belong.lib.models import OrderedText, SingletonPage


class Program(SingletonPage):
    """The GME DEI Advisory Group Mentorship Program page: welcome, mission and commitments."""

    name = models.CharField(_("name"), max_length=200)
    welcome = models.TextField(_("welcome"))
    mission_intro = models.TextField(
        _("mission introduction"), help_text=_("The sentence that leads into the commitments.")
    )

    class Meta:
        verbose_name = _("mentorship program")
        verbose_name_plural = _("mentorship program")

    def __str__(self):
        return self.name


class ProgramCommitment(OrderedText):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="commitments")

    class Meta(OrderedText.Meta):
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
