"""Security log: every failed log-in is written to the `maillage.security` logger."""

import logging

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("maillage.security")


def _client_ip(request) -> str:
    if request is None:
        return "-"
    # The same address allauth's rate limits use (X-Forwarded-For behind a trusted proxy).
    from allauth.account.adapter import get_adapter

    return get_adapter(request).get_client_ip(request) or "-"


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in `credentials`.
    identifier = credentials.get("email") or credentials.get("username") or "-"
    logger.warning("failed login for %r from %s", identifier, _client_ip(request))
