from django.contrib import admin

from .models import Letter, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "confirmed_at", "unsubscribed_at"]
    search_fields = ["email"]
    readonly_fields = ["email", "user", "confirmed_at", "unsubscribed_at"]


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["subject", "status", "sent_at", "recipients_count"]
    readonly_fields = ["status", "sent_at", "recipients_count"]
