"""French territories at every level in one table, with their hierarchy denormalised.

A commune knows its EPCI, its département and its région directly (not through a chain of
joins), so that "everything in the Aude" is one indexed filter. See `querysets.py` for
the reads and `services.py` for the loader.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .querysets import TerritoryQuerySet


class TerritoryKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    ARRONDISSEMENT = "arrondissement", _("Arrondissement municipal")
    EPCI = "epci", _("Intercommunalité")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    NATIONAL = "national", _("France entière")


# What follows a name in its label, to tell homonyms apart ("Aude (département)").
# Communes and arrondissements show their département's code instead: "Sainte-Colombe (05)".
KIND_QUALIFIERS = {
    TerritoryKind.EPCI: _("intercommunalité"),
    TerritoryKind.DEPARTEMENT: _("département"),
    TerritoryKind.REGION: _("région"),
}

NATIONAL_CODE = "FR"


def departement_code_of(commune_code: str) -> str:
    """The département of an INSEE commune code: '05135' -> '05', '97411' -> '974',
    '2A004' -> '2A'. The code says it, so a label never needs a join."""
    return commune_code[:3] if commune_code.startswith("97") else commune_code[:2]


class Territory(models.Model):
    """A commune, municipal arrondissement, EPCI, département, région or France itself.

    `code` is the INSEE code (the SIREN for an EPCI, "FR" for France). The hierarchy
    fields point upwards and are filled wherever they make sense: a commune has its EPCI,
    département and région; an arrondissement of Paris, Lyon or Marseille also has its
    `commune`; an EPCI has the département (and région) where most of its communes are;
    a département has its région.
    """

    kind = models.CharField(_("type"), max_length=16, choices=TerritoryKind)
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("nom"), max_length=200)
    search_name = models.CharField(
        _("nom normalisé"),
        max_length=200,
        db_index=True,
        help_text=_("Sans accents ni majuscules ni ponctuation, pour la recherche."),
    )
    population = models.PositiveIntegerField(_("population municipale"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    commune = models.ForeignKey(
        "self",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="arrondissements",
        limit_choices_to={"kind": TerritoryKind.COMMUNE},
    )
    # The composite indexes below (field, kind) serve these foreign keys: no single ones.
    epci = models.ForeignKey(
        "self",
        verbose_name=_("intercommunalité"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        limit_choices_to={"kind": TerritoryKind.EPCI},
    )
    departement = models.ForeignKey(
        "self",
        verbose_name=_("département"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        limit_choices_to={"kind": TerritoryKind.DEPARTEMENT},
    )
    region = models.ForeignKey(
        "self",
        verbose_name=_("région"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        limit_choices_to={"kind": TerritoryKind.REGION},
    )

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="territory_unique_kind_code"),
        ]
        indexes = [
            # within(): "the communes of the Aude", "the EPCIs of Occitanie"…
            models.Index(fields=["departement", "kind"], name="territory_departement_kind"),
            models.Index(fields=["region", "kind"], name="territory_region_kind"),
            models.Index(fields=["epci", "kind"], name="territory_epci_kind"),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("territories:detail", kwargs={"kind": self.kind, "code": self.code})

    @property
    def label(self) -> str:
        """The name, made unambiguous: 'Sainte-Colombe (05)', 'Aude (département)'."""
        if self.kind in (TerritoryKind.COMMUNE, TerritoryKind.ARRONDISSEMENT):
            return f"{self.name} ({departement_code_of(self.code)})"
        qualifier = KIND_QUALIFIERS.get(self.kind)
        return f"{self.name} ({qualifier})" if qualifier else self.name

    @property
    def postal_label(self) -> str:
        """The label the territory picker shows: a commune or arrondissement with its postal
        code, 'Marseille 1er Arrondissement (13001)', 'Toulouse (31000…)' when it has
        several; `label` otherwise, or when the postal code is not known (it is annotated
        by `Territory.objects.search()` and `with_postal_code()`)."""
        code = getattr(self, "postal_code", None)
        if not code or self.kind not in (TerritoryKind.COMMUNE, TerritoryKind.ARRONDISSEMENT):
            return self.label
        more = "…" if (getattr(self, "postal_codes_count", None) or 1) > 1 else ""
        return f"{self.name} ({code}{more})"

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class PostalCode(models.Model):
    """A postal code of a commune (or of an arrondissement, and then also of its city).

    A postal code often serves several communes, and a commune may have several codes.
    """

    code = models.CharField(_("code postal"), max_length=5, db_index=True)
    commune = models.ForeignKey(
        Territory,
        verbose_name=_("commune"),
        on_delete=models.CASCADE,
        related_name="postal_codes",
    )

    class Meta:
        verbose_name = _("code postal")
        verbose_name_plural = _("codes postaux")
        constraints = [
            models.UniqueConstraint(fields=["code", "commune"], name="postalcode_unique_commune"),
        ]

    def __str__(self) -> str:
        return self.code
