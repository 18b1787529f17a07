from django.urls import path

from . import org_views, playbook_views, views

app_name = "taskforce"
urlpatterns = [
    path("", views.index, name="index"),
    path("c/<str:code>/", views.community, name="community"),
    path("c/<str:code>/adopt/", playbook_views.adopt, name="adopt"),
    path("c/<str:code>/publish/", playbook_views.publish, name="publish"),
    path("c/<str:code>/export/", playbook_views.export, name="export"),
    path("c/<str:code>/import/", playbook_views.import_file, name="import"),
    path("c/<str:code>/groups/new/", views.add_group, name="add_group"),
    path("c/<str:code>/tasks/", views.board, name="board"),
    path("c/<str:code>/tasks/new/", views.new_task, name="new_task"),
    path("c/<str:code>/support/", org_views.support, name="support"),
    path("groups/<int:pk>/", views.group, name="group"),
    path("groups/<int:pk>/edit/", views.edit_group, name="edit_group"),
    path("groups/<int:pk>/members/", views.add_member, name="add_member"),
    path("groups/<int:pk>/recurring/", views.add_recurring, name="add_recurring"),
    path("groups/<int:pk>/templates/", views.add_template, name="add_template"),
    path("members/<int:pk>/", views.change_member, name="change_member"),
    path("templates/<int:pk>/", views.template, name="template"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/comment/", views.comment, name="comment"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("playbooks/", playbook_views.library, name="playbooks"),
    path("playbooks/<int:pk>/", playbook_views.detail, name="playbook"),
    path("playbooks/<int:pk>/diff/", playbook_views.diff, name="playbook_diff"),
    path("playbooks/<int:pk>/copy/", playbook_views.copy, name="playbook_copy"),
    path("playbooks/<int:pk>/rate/", playbook_views.rate, name="playbook_rate"),
    path("organisations/", org_views.organisations, name="organisations"),
    path("organisations/<int:pk>/", org_views.organisation, name="organisation"),
    path("support/", org_views.support_gaps, name="support_gaps"),
]
