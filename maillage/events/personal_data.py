"""A member's registrations are personal data: exported with the account, and erased
(cancelled, freeing the seat for the waiting list, then the needs text emptied)."""

from maillage.accounts import personal_data

from .models import Registration, RegistrationStatus, SessionRegistration


def export(user) -> list[dict]:
    rows = []
    registrations = Registration.objects.filter(user=user).select_related("event")
    for registration in registrations.order_by("created_at"):
        rows.append(
            {
                "event": registration.event.title,
                "starts_at": registration.event.starts_at.isoformat(),
                "status": registration.status,
                "needs": registration.needs,
                "attended": registration.attended,
                "registered_at": registration.created_at.isoformat(),
                "workshops": [
                    {"session": seat.session.title, "status": seat.status}
                    for seat in SessionRegistration.objects.filter(
                        user=user, session__slot__event=registration.event
                    ).select_related("session")
                ],
            }
        )
    return rows


def erase(user) -> None:
    from .services import registration_cancel

    upcoming = Registration.objects.filter(user=user).exclude(status=RegistrationStatus.CANCELLED)
    for registration in upcoming.select_related("event"):
        if not registration.event.is_past:
            registration_cancel(registration=registration, actor=None)
    Registration.objects.filter(user=user).update(needs="")


personal_data.register("rencontres", export, erase)
