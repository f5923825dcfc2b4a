"""The tree services keep paths, cell counts and the ancestors' rollups: after a move the
dashboards of the old and the new committee show the moved cells' figures where they now are."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from meetings.models import Organization, OrgKind
from meetings.selectors.dashboard import dashboard
from meetings.services.organizations import (
    organization_create,
    organization_delete,
    organization_move,
    organization_save,
)
from tests.dashboard_tree import QUARTER, YEAR, build_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return build_tree()


def totals(org):
    figures = dashboard(committee=Organization.objects.get(pk=org.pk), year=YEAR, quarter=QUARTER).totals
    return figures.total_cells, figures.compliant, figures.scheduled, figures.grades["good"], figures.reports


def test_moving_a_cell_moves_its_figures_from_the_old_committee_to_the_new(tree):
    # a1: compliant, graded good, reported; A also holds a2 (scheduled) and a3; B holds b1.
    assert totals(tree["a"]) == (3, 1, 2, 1, 1)
    assert totals(tree["b"]) == (1, 1, 1, 0, 0)
    root_before = totals(tree["root"])

    organization_move(organization=tree["a1"], new_parent=tree["b"])

    assert totals(tree["a"]) == (2, 0, 1, 0, 0)
    assert totals(tree["b"]) == (2, 2, 2, 1, 1)
    assert totals(tree["root"]) == root_before
    assert tree["a1"].path.startswith(tree["b"].path)


def test_moving_a_committee_carries_its_cells_figures_along(tree):
    organization_move(organization=tree["a"], new_parent=tree["b"])
    assert totals(tree["b"]) == (4, 2, 3, 1, 1)
    moved_cell = Organization.objects.get(pk=tree["a1"].pk)
    assert moved_cell.path.startswith(Organization.objects.get(pk=tree["b"].pk).path)
    assert moved_cell.depth == 3


def test_saving_with_a_new_parent_moves_the_organisation(tree):
    cell = Organization.objects.get(pk=tree["a1"].pk)
    cell.name = "Chi bộ A1 (mới)"
    cell.parent = tree["b"]
    organization_save(organization=cell)
    stored = Organization.objects.get(pk=cell.pk)
    assert (stored.name, stored.parent_id) == ("Chi bộ A1 (mới)", tree["b"].pk)
    assert totals(tree["b"])[:2] == (2, 2)


def test_a_plain_save_of_a_stale_copy_leaves_the_tree_alone(tree):
    stale = Organization.objects.get(pk=tree["a1"].pk)
    organization_move(organization=tree["a1"], new_parent=tree["b"])
    stale.name = "Chi bộ A1 (đổi tên)"
    stale.save()
    stored = Organization.objects.get(pk=stale.pk)
    assert stored.name == "Chi bộ A1 (đổi tên)"
    assert (stored.parent_id, stored.path) == (tree["b"].pk, tree["a1"].path)


def test_moving_into_its_own_subtree_is_refused(tree):
    with pytest.raises(ValidationError):
        organization_move(organization=tree["root"], new_parent=tree["a"])
    assert Organization.objects.get(pk=tree["root"].pk).parent_id is None


def test_changing_the_kind_is_refused(tree):
    cell = Organization.objects.get(pk=tree["a3"].pk)
    cell.kind = OrgKind.COMMITTEE
    with pytest.raises(ValidationError):
        organization_save(organization=cell)


def test_a_new_cell_counts_in_every_committee_above(tree):
    organization_create(name="Chi bộ A4", kind=OrgKind.CELL, parent=tree["a"])
    assert (totals(tree["a"])[0], totals(tree["root"])[0]) == (4, 6)


def test_deleting_an_empty_cell_takes_it_out_of_the_counts_above(tree):
    empty = organization_create(name="Chi bộ tạm", kind=OrgKind.CELL, parent=tree["a"])
    organization_delete(organization=empty)
    assert not Organization.objects.filter(pk=empty.pk).exists()
    assert (totals(tree["a"])[0], totals(tree["root"])[0]) == (3, 5)


def test_a_cell_with_meetings_cannot_be_deleted_and_keeps_its_figures(tree):
    with pytest.raises(ProtectedError):
        organization_delete(organization=tree["a1"])
    assert totals(tree["a"]) == (3, 1, 2, 1, 1)
