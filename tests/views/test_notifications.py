from django.urls import reverse
from django.utils import timezone

from meetings import models as m

S = m.NotificationStatus


def failed_row(cell, email="hong@example.vn", **extra):
    return m.Notification.objects.create(
        key=f"test:{cell.pk}:{email}",
        kind=m.NotificationKind.QUARTER_WARNING,
        recipient_email=email,
        recipient_name="Lê Thị Hồng",
        cell=cell,
        due_at=timezone.now(),
        status=S.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: 550 hộp thư không tồn tại",
        context={"year": 2026, "quarter": 1, "end": "2026-03-31"},
        **extra,
    )


def test_secretary_sees_failed_deliveries_with_their_error(client, cell, secretary, django_assert_max_num_queries):
    for i in range(5):
        failed_row(cell, email=f"x{i}@example.vn")
    client.force_login(secretary.user)
    url = reverse("notifications:list", args=[cell.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "550 hộp thư không tồn tại" in body and "Gửi lại" in body and "x4@example.vn" in body


def test_outbox_shortcut_redirects_to_own_cell(client, cell, secretary):
    client.force_login(secretary.user)
    response = client.get(reverse("notifications:home"))
    assert response.status_code == 302 and response.url == reverse("notifications:list", args=[cell.pk])


def test_secretary_of_other_cell_gets_404(client, cell, other_secretary):
    row = failed_row(cell)
    client.force_login(other_secretary.user)
    assert client.get(reverse("notifications:list", args=[cell.pk])).status_code == 404
    assert client.post(reverse("notifications:resend", args=[cell.pk, row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.status == S.FAILED


def test_plain_member_gets_403(client, cell, member):
    row = failed_row(cell)
    client.force_login(member.user)
    assert client.get(reverse("notifications:list", args=[cell.pk])).status_code == 403
    assert client.post(reverse("notifications:resend", args=[cell.pk, row.pk])).status_code == 403


def test_resend_post_sends_the_message_again(client, cell, secretary, django_capture_on_commit_callbacks, mailoutbox):
    row = failed_row(cell)
    client.force_login(secretary.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:resend", args=[cell.pk, row.pk]), {"loc": "loi"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == S.SENT and row.sent_at is not None
    assert len(mailoutbox) == 1 and "Lê Thị Hồng" in mailoutbox[0].to[0]


def test_resend_with_htmx_returns_the_updated_row(client, cell, secretary, django_capture_on_commit_callbacks):
    row = failed_row(cell)
    client.force_login(secretary.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:resend", args=[cell.pk, row.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="thu-{row.pk}"' in response.content.decode()
    # The row is queued again (sent once the request's transaction has committed).
    assert "Chờ gửi" in response.content.decode() and "Gửi lại" not in response.content.decode()
    row.refresh_from_db()
    assert row.status == S.SENT


def test_resending_a_sent_message_is_refused_with_a_message(client, cell, secretary):
    row = failed_row(cell)
    m.Notification.objects.filter(pk=row.pk).update(status=S.SENT)
    client.force_login(secretary.user)
    response = client.post(reverse("notifications:resend", args=[cell.pk, row.pk]), follow=True)
    assert "Chỉ gửi lại được thư đang ở tình trạng" in response.content.decode()


def test_report_deliveries_selector_counts_in_one_query(cell, committee, django_assert_num_queries):
    from meetings.selectors.notifications import report_deliveries

    for i, status in enumerate([S.SENT, S.SENT, S.FAILED]):
        m.Notification.objects.create(
            key=f"report:r7:{i}",
            kind=m.NotificationKind.REPORT,
            recipient_email=f"c{i}@example.vn",
            cell=cell,
            due_at=timezone.now(),
            status=status,
            sent_at=timezone.now() if status == S.SENT else None,
            context={"report_id": 7},
        )
    with django_assert_num_queries(1):
        result = report_deliveries(report_ids=[7, 8])
    assert result[7]["total"] == 3 and result[7]["sent"] == 2 and result[7]["failed"] == 1
    assert 8 not in result
