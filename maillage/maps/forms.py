"""The map's criteria, in the URL: what to show (type, theme, territory, around a place)
and, for the data endpoint, which part of the world at which zoom.

The same form serves the map page (a GET form that works without JavaScript), the JSON
data, the GeoJSON export and the embeddable map, so that a shared URL means the same
everywhere. Every parameter is validated: bad input is a form error (a 400 for the JSON
endpoints), never an exception.
"""

import math
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maillage.directory.models import Theme
from maillage.territories.forms import TerritoryChoiceField
from maillage.territories.models import Territory

from . import grid
from .models import KINDS_BY_SLUG

# France métropolitaine with Corsica: the view of a map without a viewport.
FRANCE_BBOX = (-5.5, 41.2, 9.9, 51.2)
FRANCE_ZOOM = 5
RADIUS_CHOICES = [5, 10, 20, 50, 100]
DEFAULT_RADIUS = 20
MAX_RADIUS_KM = 200
# A viewport 64 cells wide and high is a 4,096-pixel screen: enough for any real one.
MAX_CELLS = 64 * 64


@dataclass(frozen=True)
class Around:
    latitude: float
    longitude: float
    radius_km: int


class MapFilterForm(forms.Form):
    """What the map shows. Field names and values are the URL's, in French."""

    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[
            ("", _("Tous")),
            ("initiative", _("Initiatives")),
            ("structure", _("Structures")),
            ("personne", _("Personnes")),
            ("rencontre", _("Rencontres à venir")),
            ("fiche", _("Fiches d'expérience")),
        ],
    )
    theme = forms.ModelChoiceField(
        label=_("Thématique"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("Toutes"),
        to_field_name="slug",
    )
    territoire = TerritoryChoiceField(label=_("Territoire"), required=False)
    autour = TerritoryChoiceField(
        label=_("Autour de la commune"), required=False, kinds=["commune"]
    )
    rayon = forms.TypedChoiceField(
        label=_("Rayon"),
        required=False,
        coerce=int,
        empty_value=DEFAULT_RADIUS,
        choices=[(km, f"{km} km") for km in RADIUS_CHOICES],
    )
    # Set by the "Autour de moi" button (the browser's geolocation); hidden fields.
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def __init__(self, data=None, *args, **kwargs) -> None:
        if data is not None and not data.get("rayon"):
            # Show the default radius in the menu, not its first choice.
            data = data.copy()
            data["rayon"] = str(DEFAULT_RADIUS)
        super().__init__(data, *args, **kwargs)

    def clean_lat(self):
        return _finite(self.cleaned_data.get("lat"))

    def clean_lon(self):
        return _finite(self.cleaned_data.get("lon"))

    def clean(self):
        data = super().clean()
        has_lat, has_lon = data.get("lat") is not None, data.get("lon") is not None
        if has_lat != has_lon:
            raise ValidationError(
                _("Pour chercher autour d'un point, il faut sa latitude et sa longitude.")
            )
        commune = data.get("autour")
        if commune is not None and not commune.has_coordinates:
            self.add_error("autour", _("La position de cette commune n'est pas connue."))
        return data

    @property
    def kind(self) -> int | None:
        return KINDS_BY_SLUG.get(self.cleaned_data.get("type") or "")

    @property
    def around(self) -> Around | None:
        data = self.cleaned_data
        radius = data.get("rayon") or DEFAULT_RADIUS
        if data.get("lat") is not None and data.get("lon") is not None:
            return Around(data["lat"], data["lon"], radius)
        commune: Territory | None = data.get("autour")
        if commune is not None and commune.has_coordinates:
            return Around(commune.latitude, commune.longitude, radius)
        return None

    def criteria(self) -> dict[str, str]:
        """The valid criteria as URL parameters, for links and the embed snippet."""
        data, params = self.cleaned_data, {}
        if data.get("type"):
            params["type"] = data["type"]
        if data.get("theme"):
            params["theme"] = data["theme"].slug
        if data.get("territoire"):
            params["territoire"] = str(data["territoire"].pk)
        if data.get("lat") is not None and data.get("lon") is not None:
            params["lat"], params["lon"] = f"{data['lat']:.5f}", f"{data['lon']:.5f}"
        elif data.get("autour"):
            params["autour"] = str(data["autour"].pk)
        if "lat" in params or "autour" in params:
            params["rayon"] = str(data.get("rayon") or DEFAULT_RADIUS)
        return params


def _finite(value):
    if value is not None and not math.isfinite(value):
        raise ValidationError(_("Saisissez un nombre."))
    return value


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """`ouest,sud,est,nord` in degrees -> a tuple; ValidationError when it is not one."""
    parts = text.split(",")
    message = _("« bbox » attend quatre nombres séparés par des virgules : ouest, sud, est, nord.")
    if len(parts) != 4:
        raise ValidationError(message)
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise ValidationError(message) from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ValidationError(message)
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValidationError(
            _("« bbox » sort du monde : il faut -180 ≤ ouest < est ≤ 180 et -90 ≤ sud < nord ≤ 90.")
        )
    return (west, south, east, north)


def parse_centre(text: str) -> tuple[float, float]:
    """`lat,lon` in degrees -> a tuple; ValidationError when it is not one."""
    message = _("« centre » attend une latitude et une longitude séparées par une virgule.")
    parts = text.split(",")
    if len(parts) != 2:
        raise ValidationError(message)
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        raise ValidationError(message) from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError(message)
    return (lat, lon)


class MapViewportForm(MapFilterForm):
    """The criteria plus the viewport: `bbox=ouest,sud,est,nord` in degrees and `zoom`.
    Without them, France at national zoom. `public=1` asks for the public points only
    (what the embedded map shows, whoever looks at it)."""

    bbox = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    zoom = forms.IntegerField(
        required=False, min_value=0, max_value=grid.MAX_ZOOM, widget=forms.HiddenInput
    )
    public = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_bbox(self):
        text = self.cleaned_data.get("bbox") or ""
        return parse_bbox(text) if text.strip() else FRANCE_BBOX

    def clean_zoom(self):
        zoom = self.cleaned_data.get("zoom")
        return FRANCE_ZOOM if zoom is None else zoom

    def clean(self):
        data = super().clean()
        if "bbox" in data and "zoom" in data:
            cells = grid.cell_range(data["bbox"], data["zoom"])
            if cells.cells > MAX_CELLS:
                raise ValidationError(
                    _("Cette zone est trop grande pour ce niveau de zoom : dézoomez.")
                )
            data["cells"] = cells
        return data


class GeoJSONForm(MapFilterForm):
    """The criteria, an optional `bbox`, and `apres`: the last id of the previous page."""

    bbox = forms.CharField(required=False, max_length=200)
    apres = forms.IntegerField(required=False, min_value=0, max_value=2**62)

    def clean_bbox(self):
        text = self.cleaned_data.get("bbox") or ""
        return parse_bbox(text) if text.strip() else None


class MapEmbedForm(MapFilterForm):
    """The criteria, and where the embedded map opens: `centre=lat,lon` and `zoom`."""

    centre = forms.CharField(required=False, max_length=100)
    zoom = forms.IntegerField(required=False, min_value=0, max_value=grid.MAX_ZOOM)

    def clean_centre(self):
        text = self.cleaned_data.get("centre") or ""
        return parse_centre(text) if text.strip() else None
