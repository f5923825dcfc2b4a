"""Who counts for a resolution's vote and when it is valid (Party Charter art. 5 and 10,
QĐ 294-QĐ/TW; DOMAIN.md §8 "Votes").

Only full members (on the meeting's date) vote. The denominator is every full member of the
cell, minus those temporarily attending elsewhere, minus exempt members who are absent; an
exempt member who attends counts. Full members attending here from elsewhere count only when
settings.CHIBO["VOTES_COUNT_VISITING"] says so.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from meetings.models import Attendance, AttendanceStatus, Meeting, Member, MemberStatus

PROBATIONARY_NOTE = "dự bị – không biểu quyết"
RULE_TEXT = (
    "chỉ đảng viên chính thức biểu quyết; nghị quyết hợp lệ khi số tán thành quá một nửa "
    "số đảng viên chính thức được tính để biểu quyết"
)


def count_visiting() -> bool:
    return bool(settings.CHIBO.get("VOTES_COUNT_VISITING", False))


@dataclass(frozen=True)
class EligibleVoters:
    """The denominator of a resolution's vote and the figures it comes from."""

    full: int = 0  # full members of the cell itself (visiting ones apart)
    elsewhere: int = 0  # of them, temporarily attending elsewhere
    exempt_absent: int = 0  # of them, exempt and not recorded present
    visiting: int = 0  # full members attending here temporarily from elsewhere
    visiting_counted: bool = False
    present: int = 0  # counted voters recorded present: the most votes that can be cast

    @property
    def count(self) -> int:
        added = self.visiting if self.visiting_counted else 0
        return self.full + added - self.elsewhere - self.exempt_absent

    @property
    def needed(self) -> int:
        """The fewest votes for that make the resolution valid."""
        return self.count // 2 + 1

    @property
    def parts(self) -> list[str]:
        parts = [f"{self.full} đảng viên chính thức"]
        if self.visiting and self.visiting_counted:
            parts.append(f"cộng {self.visiting} sinh hoạt tạm thời tại chi bộ")
        minus = []
        if self.elsewhere:
            minus.append(f"{self.elsewhere} sinh hoạt tạm thời nơi khác")
        if self.exempt_absent:
            minus.append(f"{self.exempt_absent} miễn sinh hoạt vắng mặt")
        if minus:
            parts.append("trừ " + ", ".join(minus))
        return parts

    @property
    def explanation(self) -> str:
        """E.g. "18 đảng viên chính thức; trừ 1 sinh hoạt tạm thời nơi khác, 1 miễn sinh hoạt vắng mặt → 16"."""
        text = "; ".join(self.parts) + f" → {self.count}"
        if self.visiting and not self.visiting_counted:
            text += f" (không tính {self.visiting} sinh hoạt tạm thời tại chi bộ)"
        return text


def _voting_date(meeting: Meeting):
    return meeting.scheduled_date or timezone.localdate()


def full_member_q(on) -> Q:
    return Q(full_member_on__isnull=False, full_member_on__lte=on)


def eligible_voters(meeting: Meeting) -> EligibleVoters:
    """The denominator of DOMAIN.md §8 "Votes", in one aggregate query."""
    visiting_counted = count_visiting()
    present = Exists(
        Attendance.objects.filter(meeting_id=meeting.pk, member_id=OuterRef("pk"), status=AttendanceStatus.PRESENT)
    )
    own = ~Q(status=MemberStatus.VISITING)
    counted = Q(
        status__in=[MemberStatus.ACTIVE, MemberStatus.EXEMPT] + ([MemberStatus.VISITING] if visiting_counted else [])
    )
    agg = (
        Member.objects.filter(full_member_q(_voting_date(meeting)), cell_id=meeting.cell_id)
        .exclude(status=MemberStatus.MOVED_OUT)
        .annotate(is_present=present)
        .aggregate(
            full=Count("pk", filter=own),
            elsewhere=Count("pk", filter=Q(status=MemberStatus.ELSEWHERE)),
            exempt_absent=Count("pk", filter=Q(status=MemberStatus.EXEMPT, is_present=False)),
            visiting=Count("pk", filter=Q(status=MemberStatus.VISITING)),
            present=Count("pk", filter=counted & Q(is_present=True)),
        )
    )
    return EligibleVoters(visiting_counted=visiting_counted, **agg)


def resolution_is_valid(votes_for: int, eligible: int) -> bool:
    """More than half of the counted full members vote for it."""
    return eligible > 0 and votes_for * 2 > eligible


def votes_problems(*, votes_for: int, votes_against: int, votes_abstain: int, voters: EligibleVoters) -> dict:
    """What is wrong with the figures, by form field; empty when they can be recorded."""
    if min(votes_for, votes_against, votes_abstain) < 0:
        return {"votes_for": "Số phiếu không được âm."}
    if voters.present == 0:
        return {
            "votes_for": "Chưa có đảng viên chính thức nào được ghi có mặt: cần điểm danh trước khi biểu quyết "
            "(đảng viên dự bị không biểu quyết)."
        }
    total = votes_for + votes_against + votes_abstain
    if total > voters.present:
        return {
            "votes_for": f"Tổng số tán thành, không tán thành và không biểu quyết ({total}) vượt quá số đảng viên "
            f"chính thức có mặt ({voters.present}); đảng viên dự bị không biểu quyết."
        }
    return {}


def probationary_ids(meeting: Meeting, members) -> set[int]:
    """Members (among `members`, already loaded) who are probationary on the meeting's date."""
    on = _voting_date(meeting)
    return {m.pk for m in members if not m.is_full_member(on)}
