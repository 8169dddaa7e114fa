"""The library in the Django admin (admins only), for repairs."""

from django.contrib import admin

from .models import (
    Assessment,
    Collection,
    CollectionSheet,
    Criterion,
    EvaluationGrid,
    ExperienceSheet,
    Rating,
    Resource,
    SheetItem,
)


class SheetItemInline(admin.TabularInline):
    model = SheetItem
    extra = 0
    raw_id_fields = ["person", "organisation"]


@admin.register(ExperienceSheet)
class ExperienceSheetAdmin(admin.ModelAdmin):
    list_display = ["title", "outcome", "status", "origin", "created_at"]
    list_filter = ["outcome", "status", "origin"]
    search_fields = ["title"]
    raw_id_fields = [
        "initiative",
        "event",
        "contact_person",
        "created_by",
        "people",
        "organisations",
        "territories",
    ]
    inlines = [SheetItemInline]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(EvaluationGrid)
class EvaluationGridAdmin(admin.ModelAdmin):
    list_display = ["name", "defined_by_name", "is_active"]
    inlines = [CriterionInline]


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["sheet", "grid", "assessor", "created_at"]
    raw_id_fields = ["sheet", "assessor"]
    inlines = [RatingInline]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "licence", "visibility", "published_on"]
    list_filter = ["kind", "licence", "visibility"]
    search_fields = ["title", "author"]
    raw_id_fields = ["initiative", "event", "sheet", "created_by", "territories"]


class CollectionSheetInline(admin.TabularInline):
    model = CollectionSheet
    extra = 0
    raw_id_fields = ["sheet"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["title", "curated_by", "updated_at"]
    raw_id_fields = ["resources"]
    inlines = [CollectionSheetInline]
