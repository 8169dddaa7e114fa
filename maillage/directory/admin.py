"""Django admin for the directory (admins; facilitators use the site's pages)."""

from django.contrib import admin

from .models import ErrorReport, Initiative, JoinRequest, Membership, Organisation, Person, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "visibility", "is_resource_person", "imported"]
    list_filter = ["visibility", "is_resource_person", "imported"]
    search_fields = ["name", "search_name"]
    raw_id_fields = ["user"]
    filter_horizontal = ["themes", "resource_themes"]
    autocomplete_fields = ["territories"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "commune"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "search_name", "siren"]
    inlines = [MembershipInline]
    raw_id_fields = ["commune", "contact_person", "created_by"]
    autocomplete_fields = ["territories"]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "progress", "status", "commune"]
    list_filter = ["status", "progress"]
    search_fields = ["title", "search_name"]
    raw_id_fields = ["commune", "created_by"]
    autocomplete_fields = ["territories", "carrier_people", "carrier_organisations", "participants"]


admin.site.register(JoinRequest)
admin.site.register(ErrorReport)
