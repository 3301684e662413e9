"""Django's admin autocomplete widget looks the submitted value up as it is: a value that is not
an id (``parent=abc``) raised ValueError while the form was shown again with its errors, a 500
(the form itself refuses the value; only showing it again failed). ``SafeAutocompleteAdmin``
(first among a ModelAdmin's or an inline's bases) gives its ``autocomplete_fields`` a widget
that shows only the values that name a row. tests/lib/test_admin_autocomplete.py walks every
registered admin and inline."""

from typing import TYPE_CHECKING, Any

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError

if TYPE_CHECKING:  # a mixin of a ModelAdmin or an inline, typed as one
    from django.contrib.admin.options import BaseModelAdmin

    _AdminBase = BaseModelAdmin[Any]
else:
    _AdminBase = object


class SafeAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._names_a_row(v)], attr)

    def _names_a_row(self, value):
        try:
            return self.choices.field.to_python(value) is not None
        except ValidationError:
            return False


class SafeAutocompleteAdmin(_AdminBase):
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
