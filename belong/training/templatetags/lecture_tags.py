"""The lectures section of the coordinators' overview (/training/manage/), as an inclusion tag so
that the overview view stays as it is: `{% load lecture_tags %}{% manage_lectures_section %}`.
Shown only where the template already knows the person runs the catalog (runs_catalog)."""

from django import template

from belong.training.lecture_views import upcoming_lectures

register = template.Library()


@register.inclusion_tag("training/manage/lecture_overview.html")
def manage_lectures_section():
    return {"lectures": upcoming_lectures()}
