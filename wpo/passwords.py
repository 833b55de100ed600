"""Forgotten passwords: Django's reset by e-mail, in Dutch, slowed down per address the way
guessing is (`wpo.guessing`), and silent about whether an address belongs to a login: the
same page follows whatever was typed.

The e-mail goes through the app's queue (`trajects.mail`), as every e-mail does: the request
only writes it down, so a mail server that is down shows no error page (which would tell a
known address from an unknown one) and loses nothing; the worker sends it when it can. Nor does
the time the page takes tell much any more: a known address costs a few rows written, no talk
with the mail server."""

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse_lazy

from trajects import mail
from trajects.models import Mail, MailKind
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

    @transaction.atomic
    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs
    ):
        audit.record(AuditAction.PASSWORD_RESET_ASKED, user=context["user"])
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        mail.queue(
            [Mail(kind=MailKind.PASSWORD_RESET, address=to_email, subject=subject, body=body)]
        )


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
