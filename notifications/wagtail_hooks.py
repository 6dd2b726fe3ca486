from wagtail import hooks

from wiki.models import MeetingPage, WikiPage, WorkspacePage

from . import reading

# Pages whose changes digests report, and whose reading is therefore remembered.
READ_TRACKED = (WikiPage, MeetingPage, WorkspacePage)


@hooks.register("before_serve_page")
def remember_reading(page, request, serve_args, serve_kwargs):
    """Runs after the access check (order -100): only readers allowed to see the page get here."""
    if request.user.is_authenticated and isinstance(page, READ_TRACKED):
        request.cop_watching = reading.record_visit(request, page)


@hooks.register("cop_load_demo", order=200)
def load_demo(context):
    from . import demo

    demo.load(context)
