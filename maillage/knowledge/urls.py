from django.urls import path

from . import views
from . import views_library as lib

app_name = "knowledge"

urlpatterns = [
    path("", views.home, name="home"),
    path("fiches/", views.sheets, name="sheets"),
    path("fiches/nouvelle/", views.sheet_create, name="sheet_create"),
    path(
        "fiches/depuis-le-groupe/<int:group_pk>/", views.sheet_from_group, name="sheet_from_group"
    ),
    path("fiches/<int:pk>/", views.sheet, name="sheet"),
    path("fiches/<int:pk>/modifier/", views.sheet_edit, name="sheet_edit"),
    path("fiches/<int:pk>/publier/", views.sheet_publish, name="sheet_publish"),
    path("fiches/<int:pk>/imprimer/", views.sheet_print, name="sheet_print"),
    path("fiches/<int:pk>/pdf/", views.sheet_pdf, name="sheet_pdf"),
    path("fiches/<int:pk>/evaluer/<int:grid_pk>/", views.sheet_assess, name="sheet_assess"),
    path("fiches/<int:pk>/collectionner/", lib.sheet_collect, name="sheet_collect"),
    path("grilles/", views.grids, name="grids"),
    path("grilles/nouvelle/", views.grid_create, name="grid_create"),
    path("grilles/<int:pk>/", views.grid, name="grid"),
    path("grilles/<int:pk>/modifier/", views.grid_edit, name="grid_edit"),
    path("ressources/", views.resources, name="resources"),
    path("ressources/nouvelle/", lib.resource_create, name="resource_create"),
    path("ressources/<int:pk>/", lib.resource, name="resource"),
    path("ressources/<int:pk>/modifier/", lib.resource_edit, name="resource_edit"),
    path("ressources/<int:pk>/supprimer/", lib.resource_delete, name="resource_delete"),
    path(
        "ressources/<int:pk>/telecharger/",
        lib.resource_download,
        name="resource_download",
    ),
    path(
        "ressources/<int:pk>/collectionner/",
        lib.resource_collect,
        name="resource_collect",
    ),
    path("collections/", lib.collections, name="collections"),
    path("collections/nouvelle/", lib.collection_create, name="collection_create"),
    path("collections/<int:pk>/", lib.collection, name="collection"),
    path("collections/<int:pk>/modifier/", lib.collection_edit, name="collection_edit"),
    path("collections/<int:pk>/retirer/", lib.collection_remove, name="collection_remove"),
    path(
        "collections/<int:pk>/livret.pdf",
        lib.collection_booklet,
        name="collection_booklet",
    ),
]
