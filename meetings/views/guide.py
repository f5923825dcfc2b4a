"""The in-app guide ("Hướng dẫn sử dụng"): a short page for each role, readable without
logging in (it holds no cell's data: the same text and screenshots for everyone), with the
signed-in user's own guide first on the index."""

from dataclasses import dataclass

from django.shortcuts import render

from meetings.models.members import MANAGING_POSITIONS
from meetings.permissions import access_for


@dataclass(frozen=True)
class Guide:
    slug: str
    url_name: str
    title: str
    who: str
    summary: str
    template: str


GUIDES = (
    Guide(
        "bi-thu",
        "guide:secretary",
        "Hướng dẫn cho bí thư, phó bí thư chi bộ",
        "Bí thư, phó bí thư chi bộ",
        "Lập kế hoạch, chuẩn bị chuyên đề, gửi thông báo, ghi diễn biến buổi sinh hoạt, "
        "hoàn tất biên bản và báo cáo cấp trên.",
        "meetings/guide/secretary.html",
    ),
    Guide(
        "dang-vien",
        "guide:member",
        "Hướng dẫn cho đảng viên",
        "Đảng viên",
        "Xem lịch họp và trả lời có tham dự hay không, nộp tham luận được giao, đọc tài liệu chuyên đề.",
        "meetings/guide/member.html",
    ),
    Guide(
        "cap-uy",
        "guide:committee",
        "Hướng dẫn cho cán bộ cấp ủy cấp trên",
        "Cán bộ cấp ủy cấp trên",
        "Theo dõi tình hình sinh hoạt chuyên đề của các chi bộ, xem xét báo cáo, xác thực biên bản.",
        "meetings/guide/committee.html",
    ),
)
_BY_SLUG = {g.slug: g for g in GUIDES}


def role_guide_slug(user) -> str | None:
    """The guide that fits the signed-in user (a secretary who also works for a committee
    gets the secretary's first)."""
    access = access_for(user)
    if not access.authenticated:
        return None
    if access.member_id and access.position in MANAGING_POSITIONS:
        return "bi-thu"
    if access.committee_id or access.superuser:
        return "cap-uy"
    if access.member_id:
        return "dang-vien"
    return None


def guide_index(request):
    mine = role_guide_slug(request.user)
    guides = sorted(GUIDES, key=lambda g: g.slug != mine)
    return render(request, "meetings/guide/index.html", {"guides": guides, "mine": mine})


def _guide_page(request, slug):
    guide = _BY_SLUG[slug]
    others = [g for g in GUIDES if g.slug != slug]
    return render(request, guide.template, {"guide": guide, "others": others})


def guide_secretary(request):
    return _guide_page(request, "bi-thu")


def guide_member(request):
    return _guide_page(request, "dang-vien")


def guide_committee(request):
    return _guide_page(request, "cap-uy")
