"""The integrity clause: no change to a deliverable under the memorandum without the committee.

Pages whose model has a `licence` field (deliverables) are put, through their parent, under
a workflow ending with "Steering Committee approval" (`ensure_workflow_for`, called on every
save of such a page by `licensing.signals`; the moderation steps the pages had before come
first). Its last task, `SteeringCommitteeApprovalTask`, approves itself when the page's licence
needs no approval or its committee is dissolved. While the clause applies, the admin's
"Publish" action becomes a submission for approval (`wagtail_hooks`): publishing happens only
when the committee approves (`publish_workflow_state`).

The ONE guard behind every publish path is `check_publication`, called by `licensing.signals`
before a licensed page is saved with a newly live revision, and before a revision of one is
scheduled (`approved_go_live_at`). Every way Wagtail publishes a page ends in one of those two
saves: the editor, bulk actions, `revision.publish()` from code or the API, reverting to a
revision, `publish_scheduled`, copies kept live, other apps' flows. Such a publication goes
through when the clause does not apply (to the licence before or after the change), when the
committee approved that revision (a Steering Committee task state approved by a person after
the revision was made and before any newer one), or inside `committee_authority()` (the
committee's own decision being carried out, and system steps such as loading the demo).
Otherwise it raises `IntegrityClauseError`; the admin's hooks turn the usual paths into a
submission or a clear refusal before they reach the guard.
"""

import contextlib
import contextvars
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

# Models are imported inside the functions: Wagtail imports `publish_workflow_state` while its
# own models load (WAGTAIL_FINISH_WORKFLOW_ACTION).

logger = logging.getLogger(__name__)


def committee_task():
    from .models import SteeringCommitteeApprovalTask

    task = SteeringCommitteeApprovalTask.objects.filter(active=True).first()
    if task is None:
        task = SteeringCommitteeApprovalTask.objects.create(name=gettext("Steering Committee approval"))
    return task


@transaction.atomic
def committee_workflow(then=None):
    """The workflow: the tasks of `then` (the workflow the pages had before, e.g. Wagtail's
    "Moderators approval", so that no moderation step is lost), then the committee's approval,
    whose decision publishes the change."""
    from wagtail.models import Workflow, WorkflowTask

    task = committee_task()
    following = list(then.tasks.filter(active=True)) if then is not None else []
    name = gettext("Steering Committee approval")
    if then is not None:
        name = f"{then.name} → {name}"
    for workflow in Workflow.objects.filter(active=True, workflow_tasks__task=task, name=name):
        if list(workflow.tasks) == [*following, task]:
            return workflow
    workflow = Workflow.objects.create(name=name)
    for order, step in enumerate([*following, task]):
        WorkflowTask.objects.create(workflow=workflow, task=step, sort_order=order)
    return workflow


def ensure_workflow_for(page):
    """Put `page` (a page with a licence) under the committee workflow, through its parent."""
    from wagtail.models import WorkflowPage

    parent = page.get_parent()
    if parent is None or parent.depth <= 1:
        return
    if WorkflowPage.objects.filter(page=parent).exists():
        return
    inherited = parent.get_workflow()
    WorkflowPage.objects.create(page=parent, workflow=committee_workflow(then=inherited))


class IntegrityClauseError(PermissionDenied):
    """A publication the Steering Committee has not approved while the integrity clause holds."""


# Page ids (or ALL) whose publication is authorised in the current context.
ALL = "all"
_authority = contextvars.ContextVar("licensing_committee_authority", default=frozenset())


@contextlib.contextmanager
def committee_authority(page_id=ALL):
    """Let the publications made inside this block through the guard.

    For the committee's own decision being carried out (`publish_workflow_state`) and for system
    steps that are not an editor's change (the demo loader, data migrations).
    """
    token = _authority.set(_authority.get() | {page_id})
    try:
        yield
    finally:
        _authority.reset(token)


def grant_authority(page_id=ALL):
    """Like `committee_authority`, for steps that cannot wrap a block; returns the token for
    `revoke_authority`."""
    return _authority.set(_authority.get() | {page_id})


def revoke_authority(token):
    _authority.reset(token)


def _authorised(page_id):
    granted = _authority.get()
    return ALL in granted or page_id in granted


def _clause_applies_to(licence):
    from types import SimpleNamespace

    from .models import SteeringCommitteeApprovalTask

    return SteeringCommitteeApprovalTask.committee_for(SimpleNamespace(licence=licence)) is not None


def committee_approved(page, revision):
    """Did a member of the committee approve `revision` of `page` (it was the change before them)?"""
    from wagtail.models import Revision, TaskState

    newer = Revision.objects.filter(
        base_content_type_id=revision.base_content_type_id,
        object_id=revision.object_id,
        created_at__gt=revision.created_at,
    ).order_by("created_at")
    approvals = TaskState.objects.filter(
        status=TaskState.STATUS_APPROVED,
        finished_by__isnull=False,
        task__content_type__model="steeringcommitteeapprovaltask",
        workflow_state__base_content_type_id=revision.base_content_type_id,
        workflow_state__object_id=str(page.pk),
        revision__created_at__lte=revision.created_at,
        finished_at__gte=revision.created_at,
    )
    # Approved before a newer revision was made: the committee saw this one.
    newest = newer.values_list("created_at", flat=True).first()
    if newest is not None:
        approvals = approvals.filter(finished_at__lt=newest)
    return approvals.exists()


def check_publication(page, revision, previous_licence=None):
    """The guard: raise `IntegrityClauseError` unless `revision` of `page` may become public."""
    if _authorised(page.pk):
        return
    licence = getattr(page, "licence", None)
    if not (_clause_applies_to(licence) or _clause_applies_to(previous_licence)):
        return
    if revision is not None and committee_approved(page, revision):
        return
    raise IntegrityClauseError(
        gettext(
            "“%(title)s” is under the memorandum: a change can only be published once the Steering "
            "Committee approves it. Submit it for approval instead."
        )
        % {"title": page.title}
    )


def publish_workflow_state(workflow_state, user=None):
    """Wagtail's end-of-workflow action (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

    When the Steering Committee approved this change, its decision is the authority the
    memorandum gives: publish even if the last approver holds no publishing right of their
    own. Otherwise behave as Wagtail does, except that a change nobody with the right to
    publish approved stays a draft (instead of an error) for a publisher to publish.
    """
    from wagtail.actions.publish_page_revision import PublishPagePermissionError
    from wagtail.models import TaskState

    revision = workflow_state.content_object.get_latest_revision()
    approved_by_committee = TaskState.objects.filter(
        workflow_state=workflow_state,
        status=TaskState.STATUS_APPROVED,
        finished_by__isnull=False,
        task__content_type__model="steeringcommitteeapprovaltask",
    ).exists()
    if approved_by_committee:
        with committee_authority(workflow_state.content_object.pk):
            revision.publish(user=user, skip_permission_checks=True)
        return
    try:
        revision.publish(user=user)
    except (PublishPagePermissionError, IntegrityClauseError):
        logger.info("Workflow %s approved without a publisher: the change stays a draft.", workflow_state.pk)


def approval_applies(page):
    """Does the integrity clause hold `page` now (its committee must approve any change)?"""
    from .models import SteeringCommitteeApprovalTask

    return SteeringCommitteeApprovalTask.committee_for(page) is not None
