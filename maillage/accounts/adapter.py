"""django-allauth adapter: where sign-up meets the network's own rules."""

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return getattr(settings, "MAILLAGE_SIGNUP_OPEN", True)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name", "").strip()
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix, email, context):
        # allauth's mails greet with the site's name: use the network's, not the host's.
        request = allauth_context.request
        domain = request.get_host() if request is not None else ""
        context = {
            **context,
            "current_site": SimpleNamespace(name=settings.SITE_NAME, domain=domain),
        }
        return super().send_mail(template_prefix, email, context)
