"""Forms of the library: sheets with their obstacles and tips, grids, assessments,
resources, collections, and the criteria of the lists."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import SafeModelChoiceField, SafeModelMultipleChoiceField
from maillage.directory.forms import SectionedFormMixin, ThemesField
from maillage.directory.models import Initiative, Organisation, Person, Theme
from maillage.events.models import Event
from maillage.forums.models import Group
from maillage.territories.forms import TerritoryChoiceField, TerritoryMultipleChoiceField

from .embeds import video_embed
from .models import (
    Collection,
    ExperienceSheet,
    Level,
    Licence,
    Outcome,
    Resource,
)
from .uploads import ACCEPTED, check_document

TEXTAREA = forms.Textarea(attrs={"rows": 5})


def _groups_of(actor, *keep):
    """The groups one may attach a record to: one's own (member or follower); any group
    for facilitators."""
    groups = Group.objects.visible_to(actor).select_related("event")
    if not getattr(actor, "is_facilitator", False):
        mine = Group.objects.of_user(actor).values_list("pk", flat=True)
        groups = _mine_or(groups, Q(pk__in=list(mine)), *keep)
    return groups.order_by("-event__starts_at", "number")


def _mine_or(queryset, q: Q, *keep):
    """`queryset` restricted to `q`, plus the records already chosen (`keep`)."""
    ids = [getattr(k, "pk", k) for k in keep if k]
    if ids:
        q |= Q(pk__in=ids)
    return queryset.filter(q).distinct()


class SheetForm(SectionedFormMixin, forms.ModelForm):
    FIELDSETS = [
        (_("L'expérience"), "", ["title", "summary", "outcome", "context"]),
        (
            _("Ce qui s'est passé"),
            _(
                "Un échec raconté honnêtement est une ressource précieuse pour le réseau. "
                "Les obstacles et les astuces se notent juste après, un par ligne."
            ),
            ["actions", "results", "differently"],
        ),
        (
            _("Où, avec qui, d'où vient-elle"),
            "",
            [
                "themes",
                "territories",
                "organisations",
                "people",
                "contact_person",
                "initiative",
                "event",
                "group",
                "source",
            ],
        ),
        (_("Qui peut la lire"), "", ["visibility"]),
    ]

    themes = ThemesField()
    territories = TerritoryMultipleChoiceField(label=_("Territoires"), required=False)
    organisations = SafeModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Structures impliquées"),
        widget=forms.CheckboxSelectMultiple,
    )
    people = SafeModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("Personnes impliquées"),
        widget=forms.CheckboxSelectMultiple,
    )
    contact_person = SafeModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("Personne à contacter"),
        empty_label=_("Aucune"),
    )
    initiative = SafeModelChoiceField(
        queryset=Initiative.objects.none(),
        required=False,
        label=_("L'initiative dont elle parle"),
        empty_label=_("Aucune"),
    )
    event = SafeModelChoiceField(
        queryset=Event.objects.none(),
        required=False,
        label=_("La rencontre dont elle vient"),
        empty_label=_("Aucune"),
    )
    group = SafeModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        label=_("Le groupe dont elle vient"),
        empty_label=_("Aucun"),
    )

    class Meta:
        model = ExperienceSheet
        fields = [
            "title",
            "summary",
            "outcome",
            "context",
            "actions",
            "results",
            "differently",
            "themes",
            "territories",
            "organisations",
            "people",
            "contact_person",
            "initiative",
            "event",
            "group",
            "source",
            "visibility",
        ]
        widgets = {
            "context": TEXTAREA,
            "actions": forms.Textarea(attrs={"rows": 8}),
            "results": TEXTAREA,
            "differently": TEXTAREA,
            "outcome": forms.RadioSelect,
        }

    def __init__(self, *args, actor=None, attach=None, **kwargs):
        super().__init__(*args, **kwargs)
        sheet = self.instance
        # From the page of an initiative, event or group (`?initiative=`…): offered and
        # chosen if the writer may see it, ignored otherwise.
        attach = attach or {}
        user_id = getattr(actor, "pk", None) or 0
        is_facilitator = getattr(actor, "is_facilitator", False)
        current = sheet.pk and sheet
        mine = Q(user_id=user_id) | Q(
            memberships__organisation__memberships__person__user_id=user_id
        )
        self.fields["people"].queryset = _mine_or(
            Person.objects.visible_to(actor), mine, *(current and sheet.people.all() or [])
        ).order_by("search_name")
        self.fields["contact_person"].queryset = self.fields["people"].queryset
        self.fields["people"].help_text = _(
            "Vous-même et les personnes des structures dont vous faites partie."
        )
        self.fields["organisations"].queryset = _mine_or(
            Organisation.objects.published(),
            Q(memberships__person__user_id=user_id),
            *(current and sheet.organisations.all() or []),
        ).order_by("search_name")
        self.fields["organisations"].help_text = _("Parmi les structures dont vous faites partie.")
        carried = Q(created_by_id=user_id) | Q(carrier_people__user_id=user_id)
        if is_facilitator:
            carried = Q(status="published")
        self.fields["initiative"].queryset = _mine_or(
            Initiative.objects.visible_to(actor),
            carried,
            sheet.initiative_id,
            attach.get("initiative"),
        ).order_by("search_name")
        recent = (
            Event.objects.visible_to(actor).order_by("-starts_at").values_list("pk", flat=True)[:60]
        )
        attached_event = attach.get("event")
        visible_events = Event.objects.visible_to(actor)
        if attached_event and not visible_events.filter(pk=attached_event).exists():
            attached_event = None
        self.fields["event"].queryset = _mine_or(
            Event.objects.all(), Q(pk__in=list(recent)), sheet.event_id, attached_event
        ).order_by("-starts_at")
        self.fields["group"].queryset = _groups_of(actor, sheet.group_id, attach.get("group"))
        for name in ("organisations", "people", "group"):
            if not self.fields[name].queryset.exists():
                del self.fields[name]
        for name in ("initiative", "event", "group"):
            pk = attach.get(name)
            if pk and not self.is_bound and name in self.fields:
                if self.fields[name].queryset.filter(pk=pk).exists():
                    self.initial[name] = pk

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Donnez un titre à la fiche."))
        return title


class ItemForm(forms.Form):
    """One obstacle or tip; `item` keeps the actor records an import linked to it."""

    text = forms.CharField(
        label=_("Texte"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    actor_name = forms.CharField(label=_("Qui le dit (facultatif)"), required=False, max_length=200)
    item = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


ItemFormSet = forms.formset_factory(ItemForm, extra=3, max_num=40, validate_max=True)


class GridForm(forms.Form):
    name = forms.CharField(label=_("Nom de la grille"), max_length=150)
    description = forms.CharField(
        label=_("À quoi sert cette grille"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    defined_by_name = forms.CharField(
        label=_("Définie par"),
        max_length=200,
        help_text=_("Comme elle s'affichera : une personne, une équipe, un groupe de travail."),
    )
    is_active = forms.BooleanField(
        label=_("Proposée pour évaluer les fiches"), required=False, initial=True
    )


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Critère"), required=False, max_length=150)
    description = forms.CharField(
        label=_("Ce que l'on regarde"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


CriterionFormSet = forms.formset_factory(CriterionForm, extra=3, max_num=30, validate_max=True)


class AssessmentForm(forms.Form):
    """A level and a comment for each criterion of a grid, then a general comment."""

    comment = forms.CharField(
        label=_("Commentaire général (facultatif)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(grid.criteria.all())
        for criterion in self.criteria:
            self.fields[f"level_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=Level.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choisissez un niveau pour ce critère.")},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Pourquoi ce niveau ? (facultatif)"), required=False, max_length=1000
            )
        self.order_fields(
            [*(f for c in self.criteria for f in (f"level_{c.pk}", f"comment_{c.pk}")), "comment"]
        )

    def rows(self):
        return [(c, self[f"level_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def ratings(self) -> dict[int, tuple[int, str]]:
        data = self.cleaned_data
        return {c.pk: (data[f"level_{c.pk}"], data[f"comment_{c.pk}"]) for c in self.criteria}


class ResourceForm(SectionedFormMixin, forms.ModelForm):
    FIELDSETS = [
        (_("La ressource"), "", ["kind", "title", "description", "document", "url"]),
        (
            _("Auteur·rice, date et licence"),
            _("La licence dit ce que chacun·e a le droit d'en faire ; elle s'affiche partout."),
            ["author", "published_on", "licence"],
        ),
        (
            _("Thématiques, territoires, rattachement"),
            "",
            ["themes", "territories", "initiative", "event", "sheet"],
        ),
        (
            _("Qui peut la voir"),
            _("« Un groupe de travail » : seuls ses membres et l'équipe d'animation la voient."),
            ["visibility", "group"],
        ),
    ]

    document = forms.FileField(
        label=_("Fichier"),
        required=False,
        help_text=_("PDF, image, document texte, tableur ou présentation (%(formats)s).")
        % {"formats": ", ".join(ACCEPTED)},
    )
    themes = ThemesField()
    territories = TerritoryMultipleChoiceField(label=_("Territoires"), required=False)
    initiative = SafeModelChoiceField(
        queryset=Initiative.objects.none(), required=False, label=_("Initiative")
    )
    event = SafeModelChoiceField(
        queryset=Event.objects.none(), required=False, label=_("Rencontre")
    )
    sheet = SafeModelChoiceField(
        queryset=ExperienceSheet.objects.none(), required=False, label=_("Fiche d'expérience")
    )
    group = SafeModelChoiceField(
        queryset=Group.objects.none(), required=False, label=_("Groupe de travail")
    )

    class Meta:
        model = Resource
        fields = [
            "kind",
            "title",
            "description",
            "url",
            "author",
            "published_on",
            "licence",
            "themes",
            "territories",
            "initiative",
            "event",
            "sheet",
            "visibility",
            "group",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "kind": forms.RadioSelect,
        }
        help_texts = {
            "url": _(
                "Pour un lien ou une vidéo. Vidéos acceptées : YouTube, Vimeo, Dailymotion, "
                "PeerTube."
            )
        }

    def __init__(self, *args, actor=None, attach=None, **kwargs):
        super().__init__(*args, **kwargs)
        attach = attach or {}
        record = self.instance
        user_id = getattr(actor, "pk", None) or 0
        carried = Q(created_by_id=user_id) | Q(carrier_people__user_id=user_id)
        self.fields["initiative"].queryset = _mine_or(
            Initiative.objects.visible_to(actor),
            carried,
            record.initiative_id,
            attach.get("initiative"),
        ).order_by("search_name")
        recent = (
            Event.objects.visible_to(actor).order_by("-starts_at").values_list("pk", flat=True)[:60]
        )
        self.fields["event"].queryset = _mine_or(
            Event.objects.visible_to(actor),
            Q(pk__in=list(recent)),
            record.event_id,
            attach.get("event"),
        ).order_by("-starts_at")
        self.fields["sheet"].queryset = _mine_or(
            ExperienceSheet.objects.visible_to(actor),
            Q(created_by_id=user_id),
            record.sheet_id,
            attach.get("sheet"),
        ).order_by("title")
        self.fields["group"].queryset = _groups_of(actor, record.group_id, attach.get("group"))
        for name in ("initiative", "event", "sheet", "group"):
            if name in attach and not self.is_bound:
                self.initial[name] = attach[name]
        if not self.fields["group"].queryset.exists():
            # In no group: neither the field nor the "working group" visibility.
            del self.fields["group"]
            self.fields["visibility"].choices = [
                c for c in self.fields["visibility"].choices if c[0] != "group"
            ]

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            self.checked = check_document(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        url = cleaned.get("url")
        if cleaned.get("visibility") == "group" and not cleaned.get("group"):
            self.add_error("group", _("Choisissez le groupe de travail qui pourra la voir."))
        self.embed = None
        if kind == Resource.Kind.DOCUMENT:
            if (
                not cleaned.get("document")
                and not self.instance.file
                and "document" not in self.errors
            ):
                self.add_error("document", _("Joignez le fichier."))
        elif kind == Resource.Kind.LINK and not url and "url" not in self.errors:
            self.add_error("url", _("Indiquez l'adresse du lien."))
        elif kind == Resource.Kind.VIDEO and "url" not in self.errors:
            self.embed = video_embed(url or "")
            if self.embed is None:
                self.add_error(
                    "url",
                    _("Indiquez l'adresse d'une vidéo YouTube, Vimeo, Dailymotion ou PeerTube."),
                )
        return cleaned


class CollectionForm(forms.ModelForm):
    class Meta:
        model = Collection
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class CollectForm(forms.Form):
    """Add a sheet or a resource to one of the collections."""

    collection = SafeModelChoiceField(
        queryset=Collection.objects.order_by("title"),
        label=_("Collection"),
        empty_label=None,
    )


class LibraryFilterForm(forms.Form):
    """The criteria of the library's lists: in the URL, so that a search can be shared."""

    q = forms.CharField(label=_("Mots du titre"), required=False, max_length=100)
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
    depuis = forms.DateField(
        label=_("Depuis le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class SheetFilterForm(LibraryFilterForm):
    issue = forms.ChoiceField(
        label=_("Comment ça s'est passé"),
        required=False,
        choices=[("", _("Toutes les issues"))] + list(Outcome.choices),
    )


class ResourceFilterForm(LibraryFilterForm):
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Tous"))] + list(Resource.Kind.choices),
    )
    licence = forms.ChoiceField(
        label=_("Licence"), required=False, choices=[("", _("Toutes"))] + list(Licence.choices)
    )
