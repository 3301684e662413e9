"""Small model helpers shared by the apps (not an app itself)."""

from django.db import models


class OrderedText(models.Model):
    """An item of an ordered list of verbatim text (a commitment, a learning objective)."""

    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class SingletonPage(models.Model):
    """The editable texts of one program's landing page. There is one row; `current()` loads it."""

    class Meta:
        abstract = True

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first()
