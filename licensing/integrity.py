"""The integrity clause: no change to a deliverable under the memorandum without the committee.

Pages whose model has a `licence` field (deliverables) are put, through their parent, under
the workflow "Steering Committee approval" (`ensure_workflow_for`, called on every save of such
a page by `licensing.signals`). Its one task, `SteeringCommitteeApprovalTask`, approves itself
when the page's licence needs no approval or its committee is dissolved. While the clause
applies, the admin's "Publish" action is withdrawn (`wagtail_hooks`): publishing happens only
when the committee approves.
"""

from django.db import transaction
from django.utils.translation import gettext

from .models import SteeringCommitteeApprovalTask

WORKFLOW_NAME = "Steering Committee approval"


def committee_task():
    task = SteeringCommitteeApprovalTask.objects.filter(active=True).first()
    if task is None:
        task = SteeringCommitteeApprovalTask.objects.create(name=gettext("Steering Committee approval"))
    return task


@transaction.atomic
def committee_workflow():
    """The workflow whose only task is the committee's approval (made on first use)."""
    from wagtail.models import Workflow, WorkflowTask

    task = committee_task()
    workflow = Workflow.objects.filter(active=True, workflow_tasks__task=task).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=gettext("Steering Committee approval"))
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def ensure_workflow_for(page):
    """Put `page` (a page with a licence) under the committee workflow, through its parent."""
    from wagtail.models import WorkflowPage

    parent = page.get_parent()
    if parent is None or parent.depth <= 1:
        return
    if WorkflowPage.objects.filter(page=parent).exists():
        return
    WorkflowPage.objects.create(page=parent, workflow=committee_workflow())


def approval_applies(page):
    """Does the integrity clause hold `page` now (its committee must approve any change)?"""
    return SteeringCommitteeApprovalTask.committee_for(page) is not None
