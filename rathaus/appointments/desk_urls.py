from django.urls import path

from . import desk_views

app_name = "desk"
urlpatterns = [
    path("", desk_views.start, name="start"),
    path("<slug:slug>/", desk_views.day_view, name="day"),
    path("<slug:slug>/buchen/", desk_views.book_for_caller, name="book"),
    path("<slug:slug>/sperren/", desk_views.block, name="block"),
    path("<slug:slug>/sperren/<int:pk>/aufheben/", desk_views.unblock, name="unblock"),
    path("<slug:slug>/ohne-termin/", desk_views.walk_in, name="walk_in"),
    path("<slug:slug>/aufrufen/", desk_views.call_next, name="call_next"),
    path("<slug:slug>/nummer/<int:pk>/abschliessen/", desk_views.finish, name="finish"),
    path("<slug:slug>/termin/<uuid:public_id>/angekommen/", desk_views.check_in, name="check_in"),
    path("<slug:slug>/termin/<uuid:public_id>/nicht-erschienen/", desk_views.no_show, name="no_show"),
    path("<slug:slug>/termin/<uuid:public_id>/absagen/", desk_views.cancel, name="cancel"),
]
