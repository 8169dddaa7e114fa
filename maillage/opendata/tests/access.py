"""Access-matrix rows of open data (see maillage/core/tests/matrix.py). Reading is public;
the GoGoCarto import is for facilitators."""

from maillage.core.tests.matrix import ALL_OK, FACILITATORS_OK

MATRIX = {
    "opendata:index": ({}, ALL_OK),
    "opendata:export_csv": ({"key": "initiatives"}, ALL_OK),
    "opendata:export_json": ({"key": "structures"}, ALL_OK),
    "opendata:export_geojson": ({"key": "rencontres"}, ALL_OK),
    "opendata:feed_rss": ({"key": "initiatives"}, ALL_OK),
    "opendata:feed_atom": ({"key": "rencontres"}, ALL_OK),
    "opendata:api_docs": ({}, ALL_OK),
    "opendata:api:openapi-json": ({}, ALL_OK),
    "opendata:api:api-root": ({}, ALL_OK),
    "opendata:api:list_datasets": ({}, ALL_OK),
    "opendata:api:list_structures": ({}, ALL_OK),
    "opendata:api:list_initiatives": ({}, ALL_OK),
    "opendata:api:list_personnes": ({}, ALL_OK),
    "opendata:api:list_rencontres": ({}, ALL_OK),
    "opendata:api:list_fiches": ({}, ALL_OK),
    "opendata:api:list_ressources": ({}, ALL_OK),
    "opendata:gogocarto": ({}, ALL_OK),
    "opendata:gogocarto_import": ({}, FACILITATORS_OK),
}
