"""Text filters for every app's templates: `{% load belong_text %}` then `{{ text|markdown }}`."""

from django import template
from django.utils.safestring import mark_safe

from belong.lib import markdown as md

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Markdown written by a person, rendered and sanitized (belong.lib.markdown)."""
    return mark_safe(md.render(text or ""))  # noqa: S308 - sanitized by nh3 in render()
