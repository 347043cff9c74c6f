from django.urls import path

from meetings.views import public, secretariat

app_name = "meetings"

urlpatterns = [
    path("", secretariat.meeting_list, name="list"),
    path("new/", secretariat.meeting_create, name="create"),
    path("<slug:slug>/", public.detail, name="detail"),
    path("<slug:slug>/calendar.ics", public.calendar_file, name="calendar"),
    path("<slug:slug>/edit/", secretariat.meeting_edit, name="edit"),
    path("<slug:slug>/panel/", secretariat.panel_page, name="panel"),
    path("<slug:slug>/panel/add/", secretariat.panelist_add, name="panelist_add"),
    path("<slug:slug>/panel/invite/", secretariat.invite_all, name="invite_all"),
    path("<slug:slug>/panel/<int:pk>/", secretariat.panelist_card, name="panelist"),
    path("<slug:slug>/panel/<int:pk>/edit/", secretariat.panelist_edit, name="panelist_edit"),
    path("<slug:slug>/panel/<int:pk>/remove/", secretariat.panelist_remove, name="panelist_remove"),
    path("<slug:slug>/panel/<int:pk>/link/", secretariat.panelist_link, name="panelist_link"),
    path(
        "<slug:slug>/panel/<int:pk>/email/<str:kind>/",
        secretariat.panelist_email,
        name="panelist_email",
    ),
    path("<slug:slug>/emails/<int:pk>/retry/", secretariat.email_retry, name="email_retry"),
    path("<slug:slug>/order/", secretariat.order_page, name="order"),
    path("<slug:slug>/order/<int:number>/move/", secretariat.order_move, name="order_move"),
    path("<slug:slug>/order/<int:number>/set/", secretariat.order_set, name="order_set"),
    path("<slug:slug>/order/<int:number>/copy/", secretariat.order_copy, name="order_copy"),
]
