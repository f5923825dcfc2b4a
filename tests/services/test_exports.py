import io

from openpyxl import load_workbook

from meetings.documents.spreadsheets import MEMBER_HEADERS
from meetings.services.exports import members_xlsx
from meetings.services.imports import template_xlsx
from tests import factories as f


def test_control_characters_are_dropped_so_the_workbook_can_be_written():
    member = f.MemberFactory.build(full_name="Tên\x1b\x0b", phone="\x00=2")
    assert members_xlsx(members=[member]).startswith(b"PK")


def test_the_member_export_has_the_import_templates_columns():
    exported = load_workbook(io.BytesIO(members_xlsx(members=[]))).active
    template = load_workbook(io.BytesIO(template_xlsx())).active
    assert [c.value for c in exported[1]] == [c.value for c in template[1]] == MEMBER_HEADERS
