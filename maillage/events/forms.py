"""Forms of the agenda: events, programme sessions, registration, list criteria."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.directory.forms import ThemesField
from maillage.directory.models import Theme
from maillage.territories.forms import TerritoryChoiceField, TerritoryMultipleChoiceField

from .models import Event, EventKind, Session, time_exists

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time in the site's zone; a time skipped or repeated by the DST change
    is refused by Django with a message rather than guessed."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATETIME_FORMATS)
        super().__init__(**kwargs)


class EventForm(forms.ModelForm):
    starts_at = LocalDateTimeField(label=_("Début"))
    ends_at = LocalDateTimeField(label=_("Fin"))
    commune = TerritoryChoiceField(label=_("Commune"), required=False, kinds=["commune"])
    territories = TerritoryMultipleChoiceField(label=_("Territoires concernés"), required=False)
    themes = ThemesField()

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "summary",
            "description",
            "status",
            "starts_at",
            "ends_at",
            "commune",
            "address",
            "online_url",
            "themes",
            "territories",
            "registration_open",
            "capacity",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("La fin doit venir après le début."))
        capacity = data.get("capacity")
        if capacity is not None and self.instance.pk and capacity < self.instance.seats_taken:
            self.add_error(
                "capacity",
                _("%(n)s personnes sont déjà inscrites : la jauge ne peut pas descendre plus bas.")
                % {"n": self.instance.seats_taken},
            )
        return data


class SessionForm(forms.ModelForm):
    day = forms.TypedChoiceField(label=_("Jour"), coerce=lambda v: v)
    starts = forms.TimeField(
        label=_("Heure de début"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    # Optional: a programme imported from a document may know only when a slot starts.
    ends = forms.TimeField(
        label=_("Heure de fin"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Laissez vide si l'heure de fin n'est pas connue."),
    )
    slot_title = forms.CharField(label=_("Intitulé du créneau"), required=False, max_length=150)
    speakers = forms.CharField(
        label=_("Intervenant·es"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Un nom par ligne. Le nom exact d'une personne ou d'une structure de l'annuaire "
            "crée un lien vers sa fiche ; sinon le texte est repris tel quel."
        ),
    )
    moderators = forms.CharField(
        label=_("Animation"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Un nom par ligne, comme pour les intervenant·es."),
    )
    themes = ThemesField()

    class Meta:
        model = Session
        fields = ["kind", "title", "description", "room", "capacity", "themes"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        days = event.local_days()
        self.fields["day"].choices = [(d.isoformat(), d.strftime("%d/%m/%Y")) for d in days]
        self.fields["day"].coerce = lambda value: next(d for d in days if d.isoformat() == value)
        if self.instance.pk:
            slot = self.instance.slot
            self.initial.update(
                day=slot.day.isoformat(),
                starts=slot.starts,
                ends=slot.ends,
                slot_title=slot.title,
                speakers="\n".join(
                    c.name for c in self.instance.contributors.all() if c.role == "speaker"
                ),
                moderators="\n".join(
                    c.name for c in self.instance.contributors.all() if c.role == "moderator"
                ),
            )

    def clean(self):
        data = super().clean()
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("La fin doit venir après le début."))
        if day:
            for name in ("starts", "ends"):
                if data.get(name) and not time_exists(day, data[name]):
                    self.add_error(
                        name, _("Cette heure n'existe pas ce jour-là (passage à l'heure d'été).")
                    )
        capacity = data.get("capacity")
        if capacity is not None and self.instance.pk and capacity < self.instance.seats_taken:
            self.add_error(
                "capacity",
                _("%(n)s personnes sont déjà inscrites : la jauge ne peut pas descendre plus bas.")
                % {"n": self.instance.seats_taken},
            )
        return data


class RegistrationForm(forms.Form):
    needs = forms.CharField(
        label=_("Besoins particuliers (facultatif)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Accessibilité, repas, garde d'enfants… Seule l'équipe d'animation le lit."),
    )

    def clean_needs(self) -> str:
        return " ".join(self.cleaned_data["needs"].split())[:500]


class AgendaFilterForm(forms.Form):
    """The agenda's criteria, in the URL so that a view can be shared (and subscribed)."""

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
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous"))] + list(EventKind.choices)
    )

    def filter(self, queryset):
        # An invalid criterion is shown on the form and ignored; valid ones still apply.
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("theme"):
            queryset = queryset.with_theme(data["theme"])
        if data.get("territoire"):
            queryset = queryset.in_territory(data["territoire"])
        if data.get("type"):
            queryset = queryset.filter(kind=data["type"])
        return queryset


class MonthForm(forms.Form):
    mois = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False)

    def month(self) -> tuple[int, int]:
        if self.is_valid() and self.cleaned_data.get("mois"):
            year, month = (int(p) for p in self.cleaned_data["mois"].split("-"))
            if 1900 <= year <= 2200:
                return year, month
        today = timezone.localdate()
        return today.year, today.month
