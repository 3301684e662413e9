from django import template

from belong.mentorship import choices

register = template.Library()


@register.simple_tag
def answer_labels(vocabulary, keys):
    """The labels of stored answer keys, joined: {% answer_labels "languages" e.languages %}."""
    return ", ".join(str(label) for label in choices.labels(choices.VOCABULARIES[vocabulary], keys))
