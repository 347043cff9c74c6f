from django.urls import path

from meetings.views import live, public, record, secretariat

app_name = "meetings"

urlpatterns = [
    path("", secretariat.meeting_list, name="list"),
    path("new/", secretariat.meeting_create, name="create"),
    path("<slug:slug>/", public.detail, name="detail"),
    path("<slug:slug>/calendar.ics", public.calendar_file, name="calendar"),
    path("<slug:slug>/live.json", live.live_json, name="live"),
    path("<slug:slug>/report/", record.report, name="report"),
    path("<slug:slug>/report/publish/", record.publish, name="report_publish"),
    path(
        "<slug:slug>/report/turns/<int:turn_id>/summary/",
        record.summary_edit,
        name="report_summary",
    ),
    path("<slug:slug>/report/turns/<int:turn_id>/history/", record.history, name="report_history"),
    path(
        "<slug:slug>/report/revisions/<int:revision_id>/restore/",
        record.restore,
        name="report_restore",
    ),
    path("<slug:slug>/display/", live.display, name="display"),
    path("<slug:slug>/console/", live.console, name="console"),
    path("<slug:slug>/console/panels/", live.console_panels, name="console_panels"),
    path("<slug:slug>/console/action/", live.console_action, name="console_action"),
    path("<slug:slug>/console/message/", live.console_message, name="console_message"),
    path("<slug:slug>/console/reorder/", live.console_reorder, name="console_reorder"),
    path("<slug:slug>/console/notes/", live.console_notes, name="console_notes"),
    path("<slug:slug>/edit/", secretariat.meeting_edit, name="edit"),
    path("<slug:slug>/panel/", secretariat.panel_page, name="panel"),
    path("<slug:slug>/panel/add/", secretariat.panelist_add, name="panelist_add"),
    path("<slug:slug>/panel/invite/", secretariat.invite_all, name="invite_all"),
    path("<slug:slug>/panel/updates/", secretariat.send_updates, name="send_updates"),
    path("<slug:slug>/panel/<int:pk>/", secretariat.panelist_card, name="panelist"),
    path("<slug:slug>/panel/<int:pk>/edit/", secretariat.panelist_edit, name="panelist_edit"),
    path("<slug:slug>/panel/<int:pk>/remove/", secretariat.panelist_remove, name="panelist_remove"),
    path("<slug:slug>/panel/<int:pk>/link/", secretariat.panelist_link, name="panelist_link"),
    path(
        "<slug:slug>/panel/<int:pk>/substitute/",
        secretariat.panelist_substitute,
        name="panelist_substitute",
    ),
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
