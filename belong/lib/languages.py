"""The languages people speak, as Belong asks about them (mentorship answers, self-identification):
the languages most spoken in Minnesota's communities besides English, and ASL."""

from django.utils.translation import gettext_lazy as _

SPOKEN_LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("so", _("Somali")),
    ("hmn", _("Hmong")),
    ("vi", _("Vietnamese")),
    ("ar", _("Arabic")),
    ("om", _("Oromo")),
    ("am", _("Amharic")),
    ("kar", _("Karen")),
    ("zh", _("Chinese")),
    ("ru", _("Russian")),
    ("fr", _("French")),
    ("ase", _("American Sign Language")),
]
