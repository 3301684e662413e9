import pytest
from django.core.exceptions import ValidationError

from belong.people.models import OrgUnit

pytestmark = pytest.mark.django_db


def unit(slug, kind, parent=None):
    return OrgUnit.objects.create(name=slug.title(), slug=slug, kind=kind, parent=parent)


def test_the_tree_runs_institution_campus_department_division_or_program():
    ms = unit("ms", "institution")
    tc = unit("tc", "campus", ms)
    med = unit("med", "department", tc)
    for node in [ms, tc, med, unit("hosp", "division", med), unit("imr", "program", med)]:
        node.full_clean()
    assert [a.slug for a in OrgUnit.objects.get(slug="imr").ancestors()] == ["ms", "tc", "med"]


@pytest.mark.parametrize(
    ("kind", "parent_kind"), [("campus", None), ("division", "campus"), ("institution", "campus")]
)
def test_a_node_under_the_wrong_parent_is_refused(kind, parent_kind):
    parent = None
    if parent_kind:
        root = unit("root", "institution")
        parent = root if parent_kind == "institution" else unit("p", parent_kind, root)
    node = OrgUnit(name="N", slug="n", kind=kind, parent=parent)
    with pytest.raises(ValidationError) as info:
        node.full_clean()
    assert "parent" in info.value.message_dict
