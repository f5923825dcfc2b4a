"""The secretary's outbox: what the cell's e-mails became; failed ones can be sent again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from meetings.models import Notification
from meetings.permissions import PREPARE, access_for, cell_for_user
from meetings.selectors import notifications as selectors
from meetings.services.notifications import notification_resend


@login_required
def notification_home(request):
    access = access_for(request.user)
    if not access.cell_id:
        raise Http404
    return redirect("notifications:list", cell_id=access.cell_id)


@login_required
def notification_list(request, cell_id: int):
    cell = cell_for_user(request.user, cell_id, level=PREPARE)
    filter_key = request.GET.get("loc", "loi")
    if filter_key not in selectors.FILTERS:
        filter_key = "loi"
    page = Paginator(selectors.cell_outbox(cell_id=cell.pk, filter_key=filter_key), 50).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "meetings/notifications/list.html",
        {
            "cell": cell,
            "page": page,
            "filter_key": filter_key,
            "filters": [(k, label) for k, (label, _q) in selectors.FILTERS.items()],
            "counts": selectors.cell_outbox_counts(cell_id=cell.pk),
        },
    )


@login_required
@require_POST
def notification_resend_view(request, cell_id: int, pk: int):
    cell = cell_for_user(request.user, cell_id, level=PREPARE)
    notification = get_object_or_404(Notification.objects.select_related("meeting", "meeting__topic"), pk=pk, cell=cell)
    try:
        notification = notification_resend(notification=notification, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã đưa thư gửi {notification.recipient_email} vào hàng đợi gửi lại.")
    if request.htmx:
        notification.refresh_from_db()
        return render(request, "meetings/notifications/_row.html", {"n": notification, "cell": cell})
    return redirect(reverse("notifications:list", args=[cell.pk]) + "?loc=" + request.POST.get("loc", "loi"))
