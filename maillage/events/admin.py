"""Events in the Django admin (a technical tool; facilitators use the site's pages)."""

from django.contrib import admin

from .models import Event, Registration, Session, TimeSlot


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts_at", "capacity", "seats_taken"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    readonly_fields = ["seats_taken"]


@admin.register(TimeSlot)
class TimeSlotAdmin(admin.ModelAdmin):
    list_display = ["event", "day", "starts", "ends", "title"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "slot", "room", "capacity", "seats_taken"]
    readonly_fields = ["seats_taken"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "status", "queued_at", "attended"]
    list_filter = ["status"]
    # Seats only change through services.py (the counter and the waiting list).
    readonly_fields = ["event", "user", "status", "queued_at", "key"]
