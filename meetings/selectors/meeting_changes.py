"""Who a meeting's change notice reaches (a move, a new place, a cancellation).

Everyone who had the notice must hear of the change, even a guest since removed or a member
since moved out, and so must everyone expected now. The confirmation page counts the same list
the service then writes to, so the number the secretary reads is the number sent."""

from __future__ import annotations

from dataclasses import dataclass, field

from meetings.models import Meeting, Member, Notification, NotificationKind
from meetings.workflow import Stage


@dataclass(frozen=True)
class ChangeRecipient:
    who: str  # the recipient's part of the outbox key: member pk, "f<user pk>", "g<guest pk>"
    email: str
    name: str
    user_id: int | None = None
    ids: dict = field(default_factory=dict)  # member_id / follower_id / guest_id for the message


def _current(meeting: Meeting) -> list[ChangeRecipient]:
    """Expected members with an address, the follower (not twice when also a member), guests."""
    members = list(
        Member.objects.filter(cell_id=meeting.cell_id)
        .expected()
        .exclude(email="")
        .only("pk", "full_name", "email", "user_id")
        .order_by("sort_key", "pk")
    )
    rows = [ChangeRecipient(str(m.pk), m.email, m.full_name, m.user_id, {"member_id": m.pk}) for m in members]
    follower = meeting.cell.follower
    if (
        follower is not None
        and follower.email
        and follower.pk not in {m.user_id for m in members}
        and follower.email.lower() not in {m.email.lower() for m in members}
    ):
        rows.append(
            ChangeRecipient(
                f"f{follower.pk}", follower.email, follower.display_name, follower.pk, {"follower_id": follower.pk}
            )
        )
    rows += [
        ChangeRecipient(f"g{g.pk}", g.email, g.name, None, {"guest_id": g.pk})
        for g in meeting.guests.exclude(email="").order_by("pk")
    ]
    return rows


def _one_per_address(rows: list[ChangeRecipient]) -> list[ChangeRecipient]:
    seen, kept = set(), []
    for r in rows:
        address = r.email.strip().lower()
        if address and address not in seen:
            seen.add(address)
            kept.append(r)
    return kept


def change_notice_recipients(meeting: Meeting) -> list[ChangeRecipient]:
    """The current recipients, then every earlier notice's recipient not among them (one
    message per address)."""
    rows = _one_per_address(_current(meeting))
    seen_who = {r.who for r in rows}
    seen_email = {r.email.strip().lower() for r in rows}
    earlier = (
        Notification.objects.filter(meeting_id=meeting.pk, kind=NotificationKind.NOTICE)
        .order_by("pk")
        .values_list("key", "recipient_email", "recipient_name", "recipient_user_id", "context")
    )
    for key, email, name, user_id, context in earlier:
        parts = key.split(":")
        who = parts[2] if len(parts) > 3 else ""
        address = (email or "").strip().lower()
        if not who or not address or who in seen_who or address in seen_email:
            continue
        context = context or {}
        ids = {k: context[k] for k in ("member_id", "follower_id", "guest_id") if context.get(k)}
        rows.append(ChangeRecipient(who, email.strip(), name, user_id, ids))
        seen_who.add(who)
        seen_email.add(address)
    return rows


def notice_went_out(meeting: Meeting) -> bool:
    """Whether the people were told of the meeting (it stands noticed, or a notice other than a
    withdrawal is in the outbox): a change must then reach them too."""
    if meeting.stage == Stage.NOTICED:
        return True
    return (
        Notification.objects.filter(meeting_id=meeting.pk, kind=NotificationKind.NOTICE)
        .exclude(context__change__in=["cancelled", "postponed"])
        .exists()
    )
