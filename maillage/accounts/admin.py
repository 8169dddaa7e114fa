"""Django admin for accounts (admins only; facilitators use the site's pages)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import CharterAcceptance, CharterVersion, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "role", "is_active", "joined_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["date_joined", "last_login", "joined_at", "deleted_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profil"), {"fields": ["display_name", "role", "is_active"]}),
        (_("Dates"), {"fields": ["date_joined", "joined_at", "last_login", "deleted_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = []


@admin.register(CharterVersion)
class CharterVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "published_at", "published_by", "summary"]
    readonly_fields = ["version", "published_at", "published_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # published versions never change; publish a new one from the site


@admin.register(CharterAcceptance)
class CharterAcceptanceAdmin(admin.ModelAdmin):
    list_display = ["user", "charter", "accepted_at"]
    list_select_related = ["user", "charter"]
