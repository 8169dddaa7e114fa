"""Admin of exchange: ads and their reports, introductions (read-mostly)."""

from django.contrib import admin

from .models import Ad, AdReport, Introduction


@admin.register(Ad)
class AdAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "expires_on", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    raw_id_fields = ["author", "organisation", "commune"]


@admin.register(AdReport)
class AdReportAdmin(admin.ModelAdmin):
    list_display = ["ad", "created_at", "closed_at", "decision"]
    raw_id_fields = ["ad", "reporter"]


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    list_display = ["person_a", "person_b", "facilitator", "created_at"]
    raw_id_fields = ["person_a", "person_b", "facilitator"]
