import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from tests.security.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _zip(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))


def test_cell_archive_has_every_minutes_pdf_and_an_index(client, world):
    minutes = world.objects["minutes"]
    client.force_login(world.users["secretary"])
    archive = _zip(client.get(reverse("archive:cell", args=[world.cell.pk]) + f"?nam={minutes.year}"))
    names = archive.namelist()
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert any(archive.read(n) == minutes.pdf.open("rb").read() for n in pdfs)
    index_name = next(n for n in names if n.endswith(".xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read(index_name))).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("01-BB/CB" in v or v == "1" for v in values)


def test_committee_archive_covers_its_subtree(client, world):
    minutes = world.objects["minutes"]
    client.force_login(world.users["staff"])
    archive = _zip(client.get(reverse("archive:org", args=[world.superior.pk]) + f"?nam={minutes.year}"))
    assert any(n.endswith(".pdf") for n in archive.namelist())


def test_other_cells_and_unrelated_committees_get_404(client, world):
    client.force_login(world.users["other_secretary"])
    assert client.get(reverse("archive:cell", args=[world.cell.pk])).status_code == 404
    client.force_login(world.users["unrelated_staff"])
    assert client.get(reverse("archive:org", args=[world.superior.pk])).status_code == 404


def test_empty_year_gives_an_archive_with_only_the_index(client, world):
    client.force_login(world.users["secretary"])
    archive = _zip(client.get(reverse("archive:cell", args=[world.cell.pk]) + "?nam=2001"))
    assert not [n for n in archive.namelist() if n.endswith(".pdf")]
