"""Forms of the directory: profiles, organisations, initiatives, themes, filters."""

from django import forms
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import SafeModelMultipleChoiceField
from maillage.territories.forms import TerritoryChoiceField, TerritoryMultipleChoiceField

from .images import clean_image
from .models import (
    ErrorReport,
    Initiative,
    InitiativeStatus,
    Organisation,
    OrganisationKind,
    Person,
    Theme,
)

CONTACT_WIDGETS = {
    "address": forms.Textarea(attrs={"rows": 2}),
    "social_links": forms.Textarea(attrs={"rows": 2}),
}
TEXTAREA = forms.Textarea(attrs={"rows": 4})


class SectionedFormMixin:
    """A long form shown in sections (`FIELDSETS`), contacts beside their visibility."""

    FIELDSETS: list = []
    CONTACTS: list = []

    def fieldsets(self):
        return [
            (title, help_text, [self[name] for name in names if name in self.fields])
            for title, help_text, names in self.FIELDSETS
        ]

    def contact_rows(self):
        return [(self[name], self[f"{name}_visibility"]) for name in self.CONTACTS]


class ActorFormMixin:
    """Forms that depend on who fills them take `actor=` (the request's user)."""

    def __init__(self, *args, actor=None, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)


class ThemesField(SafeModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Theme.objects.all())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Thématiques"))
        super().__init__(**kwargs)


class ProfileForm(SectionedFormMixin, forms.ModelForm):
    themes = ThemesField()
    resource_themes = ThemesField(label=_("Personne ressource sur ces thématiques"))
    territories = TerritoryMultipleChoiceField(label=_("Territoires d'action"), required=False)

    class Meta:
        model = Person
        fields = [
            "name",
            "photo",
            "presentation",
            "drives",
            "seeks",
            "offers",
            "skills_sought",
            "availability",
            "themes",
            "territories",
            "is_resource_person",
            "resource_themes",
            "visibility",
            "on_map",
            "announce_in_letter",
            "email",
            "email_visibility",
            "phone",
            "phone_visibility",
            "address",
            "address_visibility",
            "website",
            "website_visibility",
            "social_links",
            "social_links_visibility",
        ]
        widgets = {
            "presentation": TEXTAREA,
            "drives": TEXTAREA,
            "seeks": TEXTAREA,
            "offers": TEXTAREA,
            "skills_sought": TEXTAREA,
            "availability": forms.Textarea(attrs={"rows": 2}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            **CONTACT_WIDGETS,
        }

    # How the profile page groups the fields; contact fields go with their visibility.
    FIELDSETS = [
        (_("Qui je suis"), "", ["name", "photo", "presentation"]),
        (
            _("Ce qui me porte"),
            "",
            ["drives", "seeks", "offers", "skills_sought", "availability"],
        ),
        (
            _("Thématiques et territoires"),
            "",
            ["themes", "territories", "is_resource_person", "resource_themes"],
        ),
        (_("Qui voit mon profil"), "", ["visibility", "on_map", "announce_in_letter"]),
    ]
    CONTACTS = ["email", "phone", "address", "website", "social_links"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Indiquez votre nom."))
        return name

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo is not self.initial.get("photo") and hasattr(photo, "content_type"):
            return clean_image(photo)
        return photo


class OrganisationForm(SectionedFormMixin, ActorFormMixin, forms.ModelForm):
    FIELDSETS = [
        (_("La structure"), "", ["name", "kind", "siren", "presentation", "logo"]),
        (
            _("Thématiques et territoires"),
            "",
            ["themes", "territories", "commune", "contact_person"],
        ),
    ]
    CONTACTS = ["website", "email", "phone", "address", "social_links"]

    # Wider than the 9 digits stored: people type "732 829 320"; clean_siren compacts it.
    siren = forms.CharField(
        label=_("SIREN"),
        max_length=20,
        required=False,
        help_text=_("Facultatif : les 9 chiffres du numéro SIREN."),
    )
    themes = ThemesField()
    territories = TerritoryMultipleChoiceField(label=_("Territoires d'action"), required=False)
    commune = TerritoryChoiceField(label=_("Commune du siège"), required=False, kinds=["commune"])

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "siren",
            "presentation",
            "logo",
            "themes",
            "territories",
            "commune",
            "contact_person",
            "website",
            "website_visibility",
            "email",
            "email_visibility",
            "phone",
            "phone_visibility",
            "address",
            "address_visibility",
            "social_links",
            "social_links_visibility",
        ]
        widgets = {
            "presentation": forms.Textarea(attrs={"rows": 6}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            **CONTACT_WIDGETS,
        }

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Indiquez le nom de la structure."))
        return name

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The contact person is one of the people linked to the organisation.
        members = Person.objects.filter(memberships__organisation_id=self.instance.pk or 0)
        self.fields["contact_person"].queryset = members
        if not self.instance.pk:
            del self.fields["contact_person"]

    def clean_siren(self) -> str:
        return "".join(self.cleaned_data.get("siren", "").split())

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):
            return clean_image(logo)
        return logo


class InitiativeForm(SectionedFormMixin, ActorFormMixin, forms.ModelForm):
    FIELDSETS = [
        (_("L'initiative"), "", ["title", "summary", "description", "progress", "website"]),
        (
            _("Thématiques, territoires, porteur·euses"),
            "",
            ["themes", "territories", "commune", "carrier_organisations"],
        ),
        (
            _("La charte d'engagement"),
            _(
                "Ce que veut dire rejoindre l'initiative, dit avant que quiconque la rejoigne : "
                "elle s'affiche sur la page de l'initiative, à côté du bouton « Demander à "
                "rejoindre »."
            ),
            ["needs", "charter_tasks", "charter_time", "charter_limits", "charter_leaving"],
        ),
    ]

    themes = ThemesField()
    territories = TerritoryMultipleChoiceField(label=_("Territoires d'action"), required=False)
    commune = TerritoryChoiceField(label=_("Commune principale"), required=False, kinds=["commune"])

    class Meta:
        model = Initiative
        fields = [
            "title",
            "summary",
            "description",
            "progress",
            "themes",
            "territories",
            "commune",
            "carrier_organisations",
            "website",
            "needs",
            "charter_tasks",
            "charter_time",
            "charter_limits",
            "charter_leaving",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "needs": TEXTAREA,
            "charter_tasks": TEXTAREA,
            "charter_limits": TEXTAREA,
            "charter_leaving": TEXTAREA,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An initiative is carried by organisations its author belongs to (or already listed).
        field = self.fields["carrier_organisations"]
        field.widget = forms.CheckboxSelectMultiple()
        user_id = getattr(self.actor, "pk", None) or 0
        mine = Q(status="published", memberships__person__user_id=user_id)
        if self.instance.pk:
            mine |= Q(carried_initiatives=self.instance)
        field.queryset = Organisation.objects.filter(mine).distinct().order_by("search_name")
        field.required = False
        field.help_text = _("Parmi les structures dont vous faites partie.")
        if not field.queryset.exists():
            # Nothing to choose from: say how to get there rather than show an empty box.
            del self.fields["carrier_organisations"]

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Donnez un titre à l'initiative."))
        return title


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if name:
            slug = slugify(name)[:80]
            if not slug:
                raise forms.ValidationError(_("Ce nom ne convient pas."))
            clash = Theme.objects.filter(slug=slug).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", _("Une thématique porte déjà ce nom."))
            self.instance.slug = slug
        return cleaned


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Un mot pour les porteur·euses (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ErrorReportForm(forms.ModelForm):
    class Meta:
        model = ErrorReport
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}


class MembershipForm(forms.Form):
    role = forms.CharField(
        label=_("Votre rôle (facultatif)"),
        max_length=120,
        required=False,
        help_text=_("Par exemple : bénévole, présidente, chargé de mission."),
    )


class MergeForm(forms.Form):
    other = forms.IntegerField(
        label=_("Numéro de la fiche en double"),
        min_value=1,
        help_text=_("Elle sera fusionnée dans celle-ci puis supprimée."),
    )


class FilterForm(forms.Form):
    """The criteria of a directory list: in the URL, so that a search can be shared."""

    q = forms.CharField(label=_("Nom"), required=False, max_length=100)
    theme = forms.ModelChoiceField(
        label=_("Thématique"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("Toutes"),
        to_field_name="slug",
    )
    territoire = TerritoryChoiceField(
        label=_("Territoire"), required=False, empty_label=_("Tous les territoires")
    )


class PersonFilterForm(FilterForm):
    ressource = forms.BooleanField(label=_("Personnes ressources seulement"), required=False)


class OrganisationFilterForm(FilterForm):
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous"))] + list(OrganisationKind.choices)
    )


class InitiativeFilterForm(FilterForm):
    avancement = forms.ChoiceField(
        label=_("Avancement"),
        required=False,
        choices=[("", _("Tous"))] + list(InitiativeStatus.choices),
    )
