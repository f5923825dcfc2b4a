from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chibo.security import sessions


@login_required
def session_list(request, *, password_changed=False):
    current = request.session.session_key
    rows = sessions.sessions_of(request.user)
    return render(
        request,
        "registration/session_list.html",
        {"rows": rows, "current": current, "password_changed": password_changed},
    )


@login_required
def password_change_done(request):
    return session_list(request, password_changed=True)


@login_required
@require_POST
def session_end(request):
    key = request.POST.get("session_key", "")
    if key == "others":
        n = sessions.sessions_end_others(user=request.user, keep_key=request.session.session_key)
        messages.success(request, f"Đã kết thúc {n} phiên đăng nhập khác.")
    elif key and key != request.session.session_key and sessions.session_end(user=request.user, session_key=key):
        messages.success(request, "Đã kết thúc phiên đăng nhập.")
    else:
        messages.error(request, "Không tìm thấy phiên đăng nhập này.")
    return redirect("accounts:session_list")
