"""Django's admin changelist (5.2) turns a ``date_hierarchy`` year it cannot build a date from
into a 500: ``?start__year=99999999999999999999`` raises OverflowError and ``?start__year=9999``
ValueError (year 10000), where only a ValueError inside one ``try`` was caught (Django ticket
37357, fixed after 5.2.20). ``SafeChangeListAdmin`` (first among a ModelAdmin's bases) makes
them what every other bad lookup is: IncorrectLookupParameters, which the admin answers by
showing the list unfiltered with an error flag. tests/lib/test_admin_changelist.py walks every
registered admin that has a date hierarchy."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class SafeChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class SafeChangeListAdmin:
    def get_changelist(self, request, **kwargs):
        return SafeChangeList
