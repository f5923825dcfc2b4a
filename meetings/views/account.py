from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from chibo.security import sessions
from chibo.security.password_reset import ChiboPasswordResetForm, ChiboSetPasswordForm


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


# --- Password reset by e-mail: Django's views, Vietnamese templates -------------------------
# The link in the mail is built by Django from the request (scheme from request.is_secure(),
# which gunicorn takes from nginx's X-Forwarded-Proto; host checked against ALLOWED_HOSTS).
# The "sent" page reads the same whether or not the address belongs to an account.


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ChiboPasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        return {"timeout_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ChiboSetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # A member locked out by wrong passwords is let in with the new one at once.
        axes_reset(username=self.user.get_username())
        return response
