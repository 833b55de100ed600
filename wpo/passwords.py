"""Forgotten passwords: Django's reset by e-mail, in Dutch, slowed down per address the way
guessing is (`wpo.guessing`), and silent about whether an address belongs to a login: the
same page follows whatever was typed."""

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy

from wpo import audit
from wpo.guessing import WINDOW, Guessing
from wpo.models import AuditAction, PasswordResetRequest

TOO_MANY_REQUESTS = 429

# every request counts, known address or not: counting only misses would tell them apart
requests = Guessing(PasswordResetRequest, "wpo.password_reset", "WPO_PASSWORD_RESETS_PER_HOUR")


class ResetForm(auth_forms.PasswordResetForm):
    def get_users(self, email):
        """Every active login with this address, also one that never had a password: a login
        made on the people page gets its first password this way."""
        return get_user_model()._default_manager.filter(email__iexact=email, is_active=True)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        audit.record(AuditAction.PASSWORD_RESET_ASKED, user=context["user"])
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"
    success_url = reverse_lazy("password_reset_done")

    @property
    def extra_email_context(self):
        return {"site_name": settings.WPO_ORGANISATION_NAME}

    def post(self, request, *args, **kwargs):
        if requests.too_many(request):
            response = render(request, "registration/password_reset_wait.html", status=429)
            response["Retry-After"] = str(int(WINDOW.total_seconds()))
            return response
        requests.record_miss(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=422)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(AuditAction.PASSWORD_RESET, user=form.user)
        return response

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=422)
