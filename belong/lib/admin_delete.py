"""Django's admin asks before it deletes, and its page lists and counts every row that would go
with the object: "Memberships: 12", each membership by its person's id. For some rows that is
an exact, live figure about people that whoever may delete the object may not otherwise see (a
collective's memberships, its monthly membership counts and shared experiences for a DEI
administrator; a session's anonymous evaluations before they are published, for a training
coordinator): opened before and after one person joins, the page tells that person's join
(DESIGN decision 8). It is read without deleting anything, by opening the page.

A ModelAdmin with ``UncountedDeletionAdmin`` among its bases names such models in ``uncounted``
("app_label.model_name"). Its confirmation pages (one object, and the "delete selected" action)
then list neither their rows nor how many, nor the rows that would go with them: each such
model is named once, whether it has rows or not (that there are none would tell as much)."""

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext as _

if TYPE_CHECKING:  # a mixin of a ModelAdmin, typed as one
    from django.contrib.admin import ModelAdmin

    _AdminBase = ModelAdmin[Any]
else:
    _AdminBase = object


def _pruned(items, prefixes):
    """The nested list of Django's confirmation page without the rows whose text starts with
    one of `prefixes`, nor the list of what would go with each of them (the list right after);
    a list left empty goes too, so that the page looks the same as with no such rows."""
    kept = []
    dropped = False
    for item in items:
        if isinstance(item, list):
            children = [] if dropped else _pruned(item, prefixes)
            if children:
                kept.append(children)
            dropped = False
            continue
        dropped = str(item).startswith(prefixes)
        if not dropped:
            kept.append(item)
    return kept


class UncountedDeletionAdmin(_AdminBase):
    uncounted: tuple[str, ...] = ()

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        models = [apps.get_model(label) for label in self.uncounted]
        if not models or not deleted:
            return deleted, model_count, perms_needed, protected
        deleted = _pruned(deleted, tuple(f"{capfirst(m._meta.verbose_name)}: " for m in models))
        for model in models:
            model_count.pop(model._meta.verbose_name_plural, None)
            deleted.append(
                _("%(things)s, if any: how many is not shown")
                % {"things": capfirst(model._meta.verbose_name_plural)}
            )
        return deleted, model_count, perms_needed, protected
