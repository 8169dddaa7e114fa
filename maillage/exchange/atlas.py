"""The relational atlas: the network as nodes and edges, for cytoscape and for a table.

Nodes are people, organisations, initiatives, working groups (forums), themes and
départements (communes would drown the picture); edges are memberships, carriers,
participations (initiatives and working groups), follow-ups, themes and places,
and — for facilitators only — the strongest suggested connections (dashed): between
people and initiatives, and from a live ad's author to what the ad was matched with
(the edge then carries the ad's title). Everything goes through the `visible_to(viewer)`
querysets: a private profile is never a node, nor the end of an edge, for someone who
may not see it. The graph is capped at MAX_NODES, and says so.
"""

from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from maillage.directory.models import Initiative, Membership, Organisation, Person, Theme
from maillage.territories.models import Territory

from .models import Ad, ItemType, Suggestion

MAX_NODES = 2000
MAX_SUGGESTION_EDGES = 300


def _url(name: str, pk: int) -> str:
    return reverse(name, args=[pk])


def _departements_of(territory_rows) -> dict[int, set[int]]:
    """{owner id: {département ids}} from (owner id, kind, pk, departement id) rows."""
    found: dict[int, set[int]] = defaultdict(set)
    for owner, kind, pk, dept in territory_rows:
        if kind == "departement":
            found[owner].add(pk)
        elif dept:
            found[owner].add(dept)
    return found


def _place_rows(model, field: str, ids):
    through = model.territories.through
    owner = f"{model._meta.model_name}_id"
    return through.objects.filter(**{f"{owner}__in": ids}).values_list(
        owner, "territory__kind", "territory_id", "territory__departement_id"
    )


def _working_groups(viewer, budget: int) -> list[tuple[int, str]]:
    """The living working groups of the forums app, when it is installed."""
    from django.apps import apps

    if not apps.is_installed("maillage.forums") or budget <= 0:
        return []
    from maillage.forums.models import Group

    groups = Group.objects.visible_to(viewer).working().order_by("pk")
    return list(groups.values_list("pk", "title")[:budget])


def _suggestion_edges(p_ids: list[int], i_ids: list[int]) -> list[dict]:
    """The strongest suggestions between records in view, as dashed edges (at most
    MAX_SUGGESTION_EDGES, best first). People and initiatives are nodes; an ad is not, so
    a live ad's suggestion is drawn from its author's profile (when that profile is in
    view) to the other end, and the edge carries the ad's title. Two ads are never
    linked: that would say nothing about their authors."""
    if not p_ids and not i_ids:
        return []
    live_ads = Ad.objects.live().filter(author__person__in=p_ids).values("pk")

    def in_view(side: str) -> Q:
        return (
            Q(**{f"{side}_type": ItemType.PERSON, f"{side}_id__in": p_ids})
            | Q(**{f"{side}_type": ItemType.INITIATIVE, f"{side}_id__in": i_ids})
            | Q(**{f"{side}_type": ItemType.AD, f"{side}_id__in": live_ads})
        )

    # A pair usually comes twice (each side is suggested to the other), hence the margin.
    rows = list(
        Suggestion.objects.filter(in_view("source"), in_view("target"), dismissed=False)
        .exclude(source_type=ItemType.AD, target_type=ItemType.AD)
        .order_by("-score", "source_type", "source_id", "target_type", "target_id")
        .values_list("source_type", "source_id", "target_type", "target_id")[
            : MAX_SUGGESTION_EDGES * 3
        ]
    )
    ad_ids = {sid for st, sid, _tt, _tid in rows if st == ItemType.AD}
    ad_ids |= {tid for _st, _sid, tt, tid in rows if tt == ItemType.AD}
    ads = {
        pk: (author, title)
        for pk, author, title in Ad.objects.filter(pk__in=ad_ids).values_list(
            "pk", "author__person__id", "title"
        )
    }
    prefix = {ItemType.PERSON: "p", ItemType.INITIATIVE: "i"}
    edges: list[dict] = []
    seen: set = set()
    for source_type, source_id, target_type, target_id in rows:
        ad = None
        if source_type == ItemType.AD:
            ad, other = source_id, f"{prefix[target_type]}{target_id}"
        elif target_type == ItemType.AD:
            ad, other = target_id, f"{prefix[source_type]}{source_id}"
        if ad is None:
            a, b = f"{prefix[source_type]}{source_id}", f"{prefix[target_type]}{target_id}"
            key = frozenset((a, b))
            data = {"id": f"{a}-{b}-suggestion", "source": a, "target": b, "kind": "suggestion"}
        elif ad in ads:
            author, title = ads[ad]
            a, b = f"p{author}", other
            key = (ad, b)
            data = {
                "id": f"{a}-{b}-suggestion-ad{ad}",
                "source": a,
                "target": b,
                "kind": "suggestion",
                "ad": ad,
                "label": _("Annonce : %(title)s") % {"title": title},
                "url": _url("exchange:ad", ad),
            }
        else:
            continue  # deleted since the first query
        if a == b or key in seen:
            continue  # an author's own ad, or the mirror of a pair already drawn
        seen.add(key)
        edges.append({"data": data})
        if len(edges) >= MAX_SUGGESTION_EDGES:
            break
    return edges


def build(viewer, *, theme=None, territory=None, with_suggestions: bool = False) -> dict:
    """{"nodes": […], "edges": […], "truncated": bool, "figures": {…}} for `viewer`."""
    people = Person.objects.visible_to(viewer)
    organisations = Organisation.objects.published()
    initiatives = Initiative.objects.published()
    if theme is not None:
        people, organisations, initiatives = (
            qs.with_theme(theme) for qs in (people, organisations, initiatives)
        )
    if territory is not None:
        inside = Territory.objects.within(territory).values("pk")
        people = people.in_territory(territory)
        organisations = organisations.filter(
            Q(commune__in=inside) | Q(territories__in=inside)
        ).distinct()
        initiatives = initiatives.filter(
            Q(commune__in=inside) | Q(territories__in=inside)
        ).distinct()

    budget = MAX_NODES
    truncated = False

    def take(qs, fields):
        nonlocal budget, truncated
        rows = list(qs.order_by("pk").values_list(*fields)[: budget + 1])
        if len(rows) > budget:
            truncated = True
            rows = rows[:budget]
        budget -= len(rows)
        return rows

    initiative_rows = take(initiatives, ("pk", "title", "commune__departement_id"))
    organisation_rows = take(organisations, ("pk", "name", "commune__departement_id"))
    person_rows = take(people, ("pk", "name"))
    themes = take(
        Theme.objects.filter(pk=theme.pk) if theme is not None else Theme.objects.all(),
        ("pk", "name", "slug"),
    )

    p_ids = [r[0] for r in person_rows]
    o_ids = [r[0] for r in organisation_rows]
    i_ids = [r[0] for r in initiative_rows]
    nodes: list[dict] = []
    edges: list[dict] = []

    def node(nid, label, kind, url=""):
        nodes.append({"data": {"id": nid, "label": label, "kind": kind, "url": url}})

    def edge(a, b, kind):
        edges.append({"data": {"id": f"{a}-{b}-{kind}", "source": a, "target": b, "kind": kind}})

    for pk, name, _slug in themes:
        node(f"t{pk}", name, "theme")
    for pk, title, _d in initiative_rows:
        node(f"i{pk}", title, "initiative", _url("directory:initiative", pk))
    for pk, name, _d in organisation_rows:
        node(f"o{pk}", name, "organisation", _url("directory:organisation", pk))
    for pk, name in person_rows:
        node(f"p{pk}", name, "person", _url("directory:person", pk))

    # Places: each record's départements (its commune's, and its territories').
    depts: dict[str, set[int]] = defaultdict(set)
    for pk, _t, dept in initiative_rows:
        if dept:
            depts[f"i{pk}"].add(dept)
    for pk, _n, dept in organisation_rows:
        if dept:
            depts[f"o{pk}"].add(dept)
    for prefix, model, ids in (
        ("p", Person, p_ids),
        ("o", Organisation, o_ids),
        ("i", Initiative, i_ids),
    ):
        for owner, found in _departements_of(_place_rows(model, "territories", ids)).items():
            depts[f"{prefix}{owner}"] |= found

    # Links between actors.
    p_set, o_set = set(p_ids), set(o_ids)
    linked: set[str] = set()

    def link(a, b, kind):
        edge(a, b, kind)
        linked.update((a, b))

    for person, org in Membership.objects.filter(
        person__in=p_ids, organisation__in=o_ids
    ).values_list("person_id", "organisation_id"):
        link(f"p{person}", f"o{org}", "membership")
    for field, kind, prefix, allowed in (
        ("carrier_people", "carrier", "p", p_set),
        ("carrier_organisations", "carrier", "o", o_set),
        ("participants", "participation", "p", p_set),
    ):
        through = getattr(Initiative, field).through
        other = [f.name for f in through._meta.fields if f.name not in ("id", "initiative")][0]
        for initiative, actor in through.objects.filter(initiative__in=i_ids).values_list(
            "initiative_id", f"{other}_id"
        ):
            if actor in allowed:
                link(f"{prefix}{actor}", f"i{initiative}", kind)

    # Working groups (forums), linked to the people who joined or follow them up.
    groups = _working_groups(viewer, budget) if theme is None and territory is None else []
    if groups:
        person_of_user = dict(
            Person.objects.filter(pk__in=p_ids, user__isnull=False).values_list("user_id", "pk")
        )
        for pk, title in groups:
            node(f"g{pk}", title, "group", _url("forums:working_group", pk))
        group_ids = [pk for pk, _t in groups]
        from maillage.forums.models import FollowUp, GroupMember

        for model, kind in ((GroupMember, "participation"), (FollowUp, "followup")):
            for group, user in model.objects.filter(group__in=group_ids).values_list(
                "group_id", "user_id"
            ):
                if user in person_of_user:
                    link(f"p{person_of_user[user]}", f"g{group}", kind)

    # Themes.
    theme_ids = {pk for pk, _n, _s in themes}
    for prefix, model, ids in (
        ("p", Person, p_ids),
        ("o", Organisation, o_ids),
        ("i", Initiative, i_ids),
    ):
        through = model.themes.through
        owner = f"{model._meta.model_name}_id"
        for record, theme_pk in through.objects.filter(**{f"{owner}__in": ids}).values_list(
            owner, "theme_id"
        ):
            if theme_pk in theme_ids:
                edge(f"{prefix}{record}", f"t{theme_pk}", "theme")
    carried = initiatives.filter(
        Q(carrier_people__isnull=False) | Q(carrier_organisations__isnull=False)
    )
    carried_themes = set(
        Theme.objects.filter(initiatives__in=carried.values("pk")).values_list("pk", flat=True)
    )
    # A theme nobody in view is linked to is left out of the picture (not of the figures).
    themed = {e["data"]["target"] for e in edges if e["data"]["kind"] == "theme"}
    nodes = [n for n in nodes if n["data"]["kind"] != "theme" or n["data"]["id"] in themed]

    # Départements as nodes (only those in use).
    used = sorted({d for found in depts.values() for d in found})
    for pk, name, code in Territory.objects.filter(pk__in=used).values_list("pk", "name", "code"):
        node(f"d{pk}", name, "territory", reverse("territories:detail", args=["departement", code]))
    for nid, found in depts.items():
        for dept in found:
            edge(nid, f"d{dept}", "place")

    if with_suggestions:
        edges.extend(_suggestion_edges(p_ids, i_ids))

    # Figures: isolated actors, bridges between territories, themes without carriers.
    names = {n["data"]["id"]: n["data"]["label"] for n in nodes}
    actors = [f"p{pk}" for pk in p_ids] + [f"o{pk}" for pk in o_ids]
    isolated = [names[a] for a in actors if a not in linked]
    reach: dict[str, set[int]] = {a: set(depts.get(a, ())) for a in actors}
    for e in edges:
        d = e["data"]
        if d["kind"] in ("membership", "carrier", "participation"):
            if d["source"] in reach:
                reach[d["source"]] |= depts.get(d["target"], set())
            if d["target"] in reach:
                reach[d["target"]] |= depts.get(d["source"], set())
    dept_names = {f"d{pk}": names.get(f"d{pk}", "") for pk in used}
    bridges = sorted(
        (
            {
                "name": names[a],
                "territories": sorted(dept_names.get(f"d{d}", "") for d in found),
            }
            for a, found in reach.items()
            if len(found) >= 2
        ),
        key=lambda b: (-len(b["territories"]), b["name"]),
    )
    orphan_themes = [name for pk, name, _s in themes if pk not in carried_themes]
    return {
        "nodes": nodes,
        "edges": edges,
        "truncated": truncated,
        "max_nodes": MAX_NODES,
        "figures": {
            "people": len(p_ids),
            "organisations": len(o_ids),
            "initiatives": len(i_ids),
            "isolated": sorted(isolated),
            "bridges": bridges,
            "themes_without_carriers": orphan_themes,
        },
    }
