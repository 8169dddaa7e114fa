"""Forums in the Django admin (a technical tool; facilitators use the site's pages).
Reports and their revisions are read-only here: they change through `report_save`, which
keeps the history."""

from django.contrib import admin

from .models import Group, GroupDocument, Report, ReportRevision, Room, Task, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "status", "room", "slot"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["event", "proposed_by", "merged_into", "room", "slot"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "working_since", "closed_at"]
    search_fields = ["title"]
    raw_id_fields = ["event", "topic"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "version", "updated_at"]
    raw_id_fields = ["group", "resource_person", "updated_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReportRevision)
class ReportRevisionAdmin(admin.ModelAdmin):
    list_display = ["report", "number", "author", "created_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


admin.site.register(Room)
admin.site.register(Task)
admin.site.register(GroupDocument)
