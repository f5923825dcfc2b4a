"""An exempt member has a reason (Member.exempt_reason), asked on the member form."""

import pytest
from django.urls import reverse

from meetings.models import Member, MemberStatus
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


def data(**overrides):
    values = {"full_name": "Lê Văn Miễn", "position": "member", "status": "active", "exempt_reason": ""}
    values.update(overrides)
    return values


def test_exempt_without_reason_is_refused_in_vietnamese_and_input_kept(client, cell, secretary):
    login(client, secretary.user)
    response = client.post(reverse("members:create"), data(status=MemberStatus.EXEMPT))
    assert response.status_code == 400
    page = response.content.decode()
    assert "đề nghị ghi lý do miễn sinh hoạt" in page
    assert "Lê Văn Miễn" in page
    assert not Member.objects.filter(full_name="Lê Văn Miễn").exists()


def test_exempt_with_reason_is_saved(client, cell, secretary):
    login(client, secretary.user)
    response = client.post(reverse("members:create"), data(status=MemberStatus.EXEMPT, exempt_reason=" Tuổi  cao "))
    assert response.status_code == 302
    assert Member.objects.get(full_name="Lê Văn Miễn").exempt_reason == "Tuổi cao"


def test_reason_is_dropped_when_the_member_is_no_longer_exempt(client, cell, secretary):
    member = f.MemberFactory(cell=cell, status=MemberStatus.EXEMPT, exempt_reason="Sức khỏe yếu")
    login(client, secretary.user)
    page = client.get(reverse("members:edit", args=[member.pk])).content.decode()
    assert "Sức khỏe yếu" in page
    response = client.post(reverse("members:edit", args=[member.pk]), data(full_name=member.full_name))
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.status, member.exempt_reason) == (MemberStatus.ACTIVE, "")
