from django.urls import path

from . import views, views_synthesis

app_name = "forums"

urlpatterns = [
    path("", views.working_groups, name="working_groups"),
    # An event's open forum: topics, grid
    path("rencontre/<int:pk>/", views.event_forum, name="event_forum"),
    path("rencontre/<int:pk>/proposer/", views.topic_propose, name="topic_propose"),
    path("rencontre/<int:pk>/grille/", views.grid, name="grid"),
    path("rencontre/<int:pk>/salles/ajouter/", views.room_add, name="room_add"),
    path("rencontre/<int:pk>/creneaux/ajouter/", views.slot_add, name="slot_add"),
    path("salles/<int:pk>/supprimer/", views.room_delete, name="room_delete"),
    path("sujets/<int:pk>/placer/", views.topic_schedule, name="topic_schedule"),
    path("sujets/<int:pk>/mettre-de-cote/", views.topic_reject, name="topic_reject"),
    path("sujets/<int:pk>/fusionner/", views.topic_merge, name="topic_merge"),
    # A group and its report
    path("<int:pk>/", views.group_detail, name="group"),
    path("<int:pk>/rejoindre/", views.group_join, name="group_join"),
    path("<int:pk>/quitter/", views.group_leave, name="group_leave"),
    path("<int:pk>/compte-rendu/", views.report_edit, name="report_edit"),
    path("<int:pk>/compte-rendu/historique/", views.report_history, name="report_history"),
    path(
        "<int:pk>/compte-rendu/versions/<int:number>/",
        views.report_revision,
        name="report_revision",
    ),
    path(
        "<int:pk>/compte-rendu/versions/<int:number>/retablir/",
        views.report_restore,
        name="report_restore",
    ),
    # Follow-ups and the working group
    path("<int:pk>/suivre/", views.followup, name="followup"),
    path("<int:pk>/ne-plus-suivre/", views.followup_cancel, name="followup_cancel"),
    path("<int:pk>/groupe-de-travail/", views.working_group, name="working_group"),
    path("<int:pk>/reunion/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/cloture/", views.group_close, name="group_close"),
    path("<int:pk>/taches/ajouter/", views.task_create, name="task_create"),
    path("taches/<int:pk>/deplacer/", views.task_move, name="task_move"),
    path("taches/<int:pk>/modifier/", views.task_edit, name="task_edit"),
    path("taches/<int:pk>/supprimer/", views.task_delete, name="task_delete"),
    path("<int:pk>/documents/ajouter/", views.document_add, name="document_add"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("documents/<int:pk>/supprimer/", views.document_delete, name="document_delete"),
]

# The synthesis of an event (views_synthesis.py).
urlpatterns += [
    path("rencontre/<int:event_pk>/synthese/", views_synthesis.synthesis, name="synthesis"),
    path(
        "rencontre/<int:event_pk>/synthese/publique/",
        views_synthesis.synthesis_public,
        name="synthesis_public",
    ),
    path(
        "rencontre/<int:event_pk>/synthese/<slug:version>.<slug:fmt>",
        views_synthesis.synthesis_download,
        name="synthesis_download",
    ),
]
