from django import template

from belong.mentorship import choices

register = template.Library()

VOCABULARIES = {
    "career": choices.CAREER_INTERESTS,
    "dei": choices.DEI_INTERESTS,
    "languages": choices.LANGUAGES,
    "meeting": choices.MEETING,
    "availability": choices.AVAILABILITY,
}


@register.simple_tag
def answer_labels(vocabulary, keys):
    """The labels of stored answer keys, joined: {% answer_labels "languages" e.languages %}."""
    return ", ".join(str(label) for label in choices.labels(VOCABULARIES[vocabulary], keys))
