"""Forms of open forums and working groups. Ids sent by clients go through the safe
choice fields of `maillage.core.forms`, so an impossible id is a form error, not a 500."""

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import SafeModelChoiceField
from maillage.events.models import time_exists

from .models import REPORT_TEXT_FIELDS, Report, TaskStatus, Topic

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["title", "question", "proposer_name"]
        widgets = {"question": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "proposer_name": _(
                "Laissez vide pour apparaître sous votre nom ; ou indiquez un collectif."
            )
        }


class ScheduleForm(forms.Form):
    """Place a topic in the grid: one select listing every cell, free or taken."""

    cell = forms.ChoiceField(label=_("Salle et créneau"), required=False)

    def __init__(self, *args, rooms=(), slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rooms = {room.pk: room for room in rooms}
        self.slots = {slot.pk: slot for slot in slots}
        choices = [("", _("Retenu, sans salle ni créneau"))]
        for slot in slots:
            for room in rooms:
                label = f"{room.name} — {slot.day:%d/%m} {slot.hours}"
                choices.append((f"{room.pk}:{slot.pk}", label))
        self.fields["cell"].choices = choices

    def clean_cell(self):
        value = self.cleaned_data["cell"]
        if not value:
            return (None, None)
        room_id, slot_id = (int(part) for part in value.split(":"))
        return (self.rooms[room_id], self.slots[slot_id])


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Motif (facultatif)"), max_length=300, required=False)


class MergeForm(forms.Form):
    into = SafeModelChoiceField(label=_("Fusionner avec"), queryset=Topic.objects.none())

    def __init__(self, *args, topic: Topic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            Topic.objects.filter(event_id=topic.event_id)
            .open()
            .exclude(pk=topic.pk)
            .order_by("title")
        )


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Nouvelle salle"), max_length=100)


class SlotForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Jour"), coerce=str)
    starts = forms.TimeField(label=_("Début"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Fin"), widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.days = {day.isoformat(): day for day in event.local_days()}
        self.fields["day"].choices = [(key, f"{day:%d/%m/%Y}") for key, day in self.days.items()]

    def clean(self):
        data = super().clean()
        day = self.days.get(data.get("day"))
        starts, ends = data.get("starts"), data.get("ends")
        if day is None:
            return data
        data["day"] = day
        if starts and ends:
            if ends <= starts:
                self.add_error("ends", _("La fin du créneau doit suivre son début."))
            for name, value in (("starts", starts), ("ends", ends)):
                if not time_exists(day, value):
                    self.add_error(name, _("Cette heure n'existe pas ce jour-là."))
        return data


class JoinForm(forms.Form):
    carrier = forms.BooleanField(label=_("Je porte ce sujet"), required=False)


class ReportForm(forms.ModelForm):
    """The structured report, with the version it was opened on (lost-update check)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        max_value=2**31,
        error_messages=dict.fromkeys(
            ["required", "invalid", "min_value", "max_value"],
            _("Le formulaire ne dit pas de quelle version il part : rechargez la page."),
        ),
    )

    SECTIONS = [
        (_("La question"), ["question"]),
        (_("Ce que le groupe a dit"), ["findings", "proposals", "vigilance"]),
        (
            _("Le rôle du réseau"),
            ["network_continue", "network_stop", "network_with"],
        ),
        (_("Pour aller plus loin"), ["resource_person_name", "notes"]),
    ]

    class Meta:
        model = Report
        fields = list(REPORT_TEXT_FIELDS)
        widgets = {name: TEXTAREA for name in REPORT_TEXT_FIELDS if name != "resource_person_name"}

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]


class FollowUpForm(forms.Form):
    share_email = forms.BooleanField(
        label=_("Partager mon adresse électronique avec les autres personnes qui suivent"),
        required=False,
    )
    share_phone = forms.BooleanField(
        label=_("Partager mon téléphone avec les autres personnes qui suivent"), required=False
    )
    message = forms.CharField(
        label=_("Ce que je souhaite apporter (facultatif)"), max_length=500, required=False
    )

    def __init__(self, *args, has_phone: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_phone = has_phone
        if not has_phone:
            self.fields["share_phone"].disabled = True
            self.fields["share_phone"].help_text = _(
                "Aucun téléphone dans votre profil : ajoutez-le à votre fiche pour le partager."
            )

    def clean(self):
        data = super().clean()
        if not data.get("share_email") and not (self.has_phone and data.get("share_phone")):
            raise forms.ValidationError(
                _(
                    "Pour suivre ce groupe, acceptez de partager au moins un moyen de contact "
                    "avec les autres personnes qui le suivent."
                )
            )
        return data


class MeetingForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Date et heure de la prochaine réunion"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )
    place = forms.CharField(label=_("Lieu"), max_length=300, required=False)
    url = forms.URLField(label=_("Lien de la réunion en ligne"), max_length=200, required=False)
    purpose = forms.CharField(
        label=_("Objet du groupe de travail"), max_length=2000, required=False, widget=TEXTAREA
    )


class OwnerField(SafeModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name or _("Membre du réseau n°%(pk)s") % {"pk": obj.pk}


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Tâche"), max_length=200)
    owner = OwnerField(label=_("Qui s'en charge"), queryset=None, required=False)
    due_on = forms.DateField(
        label=_("Pour le"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["owner"].queryset = (
            get_user_model().objects.filter(forum_followups__group=group).order_by("display_name")
        )


class MoveForm(forms.Form):
    status = forms.ChoiceField(choices=TaskStatus.choices)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    file = forms.FileField(label=_("Fichier"), required=False)
    url = forms.URLField(label=_("ou un lien"), required=False, max_length=500)

    MAX_SIZE = 20 * 1024 * 1024

    def clean(self):
        data = super().clean()
        file, url = data.get("file"), data.get("url")
        if bool(file) == bool(url):
            raise forms.ValidationError(_("Joignez un fichier ou indiquez un lien, l'un des deux."))
        if file and file.size > self.MAX_SIZE:
            self.add_error("file", _("Le fichier dépasse 20 Mo."))
        return data
