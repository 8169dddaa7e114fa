"""Django admin for territories: read-only reference data, searchable (and usable by
other apps' `autocomplete_fields`). Changes come from `manage.py load_territories`."""

from django.contrib import admin

from .models import PostalCode, Territory


class PostalCodeInline(admin.TabularInline):
    model = PostalCode
    fields = ["code"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "departement", "population", "latitude", "longitude"]
    list_filter = ["kind"]
    list_select_related = ["departement"]
    search_fields = ["search_name", "=code", "name"]
    ordering = ["kind", "search_name"]
    show_full_result_count = False
    inlines = [PostalCodeInline]

    def get_search_results(self, request, queryset, search_term):
        from maillage.core.text import normalise

        return super().get_search_results(request, queryset, normalise(search_term) or search_term)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PostalCode)
class PostalCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "commune"]
    list_select_related = ["commune"]
    search_fields = ["code"]
    ordering = ["code"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
