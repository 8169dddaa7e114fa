"""What the map reads: one row per visible point, and the clusters precomputed per zoom.

`MapPoint` is a copy of every organisation, initiative, person, upcoming event and
published experience sheet that
may appear on the map, with only what the map shows (a title, a place) and what its
filters need (kind, audience, themes, the territories that contain it). A record that
may not appear — unpublished, private, off the map, ended — has no row at all, so no
query can leak it.

`MapCluster` holds, for every zoom level, kind and audience, the number of points in each
grid cell (see `grid.py`) and the sums of their coordinates (their centre is the mean).
The map reads only this table when it is unfiltered or filtered by one theme, one
département or one région (each a "facet" of its own), with or without a type: at
national zoom it sums a few hundred rows instead of aggregating 400,000 points.

Both tables are kept current by `sync.py` (signals from the directory, the agenda and the
library) and rebuilt by `manage.py rebuild_map`.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .querysets import MapClusterQuerySet, MapPointQuerySet


class Kind(models.IntegerChoices):
    ORGANISATION = 1, _("Structure")
    INITIATIVE = 2, _("Initiative")
    PERSON = 3, _("Personne")
    EVENT = 4, _("Rencontre")
    SHEET = 5, _("Fiche d'expérience")

    @property
    def slug(self) -> str:
        return KIND_SLUGS[self]


# The names of the kinds in URLs and in the JSON answers.
KIND_SLUGS = {
    Kind.ORGANISATION: "structure",
    Kind.INITIATIVE: "initiative",
    Kind.PERSON: "personne",
    Kind.EVENT: "rencontre",
    Kind.SHEET: "fiche",
}
KINDS_BY_SLUG = {slug: kind for kind, slug in KIND_SLUGS.items()}


class Audience(models.IntegerChoices):
    """Who may see a point; a viewer sees every point whose audience is at most theirs."""

    PUBLIC = 0, _("Tout le monde")
    MEMBERS = 1, _("Membres du réseau")


class MapPoint(models.Model):
    kind = models.PositiveSmallIntegerField(choices=Kind)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=200)
    sort_key = models.CharField(max_length=200)
    audience = models.PositiveSmallIntegerField(choices=Audience)
    latitude = models.FloatField()
    longitude = models.FloatField()
    x = models.IntegerField()
    y = models.IntegerField()
    # The point's commune and the territories above it, for "everything in the Aude".
    commune = models.ForeignKey(
        "territories.Territory", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    epci = models.ForeignKey(
        "territories.Territory", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    departement = models.ForeignKey(
        "territories.Territory", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    region = models.ForeignKey(
        "territories.Territory", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MapPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("point de la carte")
        verbose_name_plural = _("points de la carte")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="mappoint_unique_record")
        ]
        indexes = [
            # Points in a bounding box (filtered views, "autour de…").
            models.Index(fields=["x", "y"], name="mappoint_xy"),
            # The same for one kind and audience: keeps cluster maintenance cheap.
            models.Index(fields=["kind", "audience", "x", "y"], name="mappoint_kind_xy"),
            # The list beside the map, in alphabetical order.
            models.Index(fields=["sort_key"], name="mappoint_sort"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from .clusters import DETAIL_URLS

        return reverse(DETAIL_URLS[self.kind], args=[self.object_id])

    @property
    def kind_slug(self) -> str:
        return KIND_SLUGS[self.kind]


class MapPointTheme(models.Model):
    """A theme of a point, for the theme filter (joined on the points in view)."""

    point = models.ForeignKey(MapPoint, on_delete=models.CASCADE, related_name="theme_links")
    theme = models.ForeignKey("directory.Theme", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["theme", "point"], name="mappointtheme_unique")
        ]

    def __str__(self) -> str:
        return f"{self.point_id} → {self.theme_id}"


def theme_facet(theme_id: int) -> str:
    return f"theme:{theme_id}"


def territory_facet(territory) -> str | None:
    """The facet precomputed for a territory filter: départements and régions only
    (communes and EPCIs hold few points: the live path is fast enough for them)."""
    if territory.kind in ("departement", "region"):
        return f"{territory.kind}:{territory.pk}"
    return None


class MapCluster(models.Model):
    """The points of one kind and audience in one grid cell at one zoom level, for one
    facet: "" (all points), "theme:<id>", "departement:<id>" or "region:<id>"."""

    level = models.PositiveSmallIntegerField()
    facet = models.CharField(max_length=24, blank=True, default="")
    cx = models.IntegerField()
    cy = models.IntegerField()
    kind = models.PositiveSmallIntegerField(choices=Kind)
    audience = models.PositiveSmallIntegerField(choices=Audience)
    count = models.PositiveIntegerField()
    sum_lat = models.FloatField()
    sum_lon = models.FloatField()
    # The point when `count` is 1 (then the map shows the point itself); otherwise any.
    point_id = models.BigIntegerField()

    objects = MapClusterQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["level", "facet", "cx", "cy", "kind", "audience"],
                name="mapcluster_unique_cell",
            )
        ]

    def __str__(self) -> str:
        return f"z{self.level} {self.facet or '*'} ({self.cx}, {self.cy}) ×{self.count}"
