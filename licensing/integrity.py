"""The integrity clause: no change to a deliverable under the memorandum without the committee.

Pages whose model has a `licence` field (deliverables) are put, through their parent, under
a workflow ending with "Steering Committee approval" (`ensure_workflow_for`, called on every
save of such a page by `licensing.signals`; the moderation steps the pages had before come
first). Its last task, `SteeringCommitteeApprovalTask`, approves itself when the page's licence
needs no approval or its committee is dissolved. While the clause applies, the admin's
"Publish" action becomes a submission for approval (`wagtail_hooks`): publishing happens only
when the committee approves (`publish_workflow_state`).
"""

import logging

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
    committee_approved = TaskState.objects.filter(
        workflow_state=workflow_state,
        status=TaskState.STATUS_APPROVED,
        finished_by__isnull=False,
        task__content_type__model="steeringcommitteeapprovaltask",
    ).exists()
    if committee_approved:
        revision.publish(user=user, skip_permission_checks=True)
        return
    try:
        revision.publish(user=user)
    except PublishPagePermissionError:
        logger.info("Workflow %s approved without a publisher: the change stays a draft.", workflow_state.pk)


def approval_applies(page):
    """Does the integrity clause hold `page` now (its committee must approve any change)?"""
    from .models import SteeringCommitteeApprovalTask

    return SteeringCommitteeApprovalTask.committee_for(page) is not None
