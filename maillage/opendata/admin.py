"""The admins' settings: the data licence and the outgoing webhooks."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import OpenDataSettings, Webhook, WebhookDelivery


@admin.register(OpenDataSettings)
class OpenDataSettingsAdmin(admin.ModelAdmin):
    list_display = ["licence", "attribution", "updated_at"]

    def has_add_permission(self, request):
        return not OpenDataSettings.objects.exists()


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("Événements"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucun coché : tous."),
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "format", "events", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [(e.key, e.label) for e in registry.events()]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ["name", "format", "active"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["webhook", "event", "object_key", "state", "attempts", "created_at"]
    list_filter = ["state", "event"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False
