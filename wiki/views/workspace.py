"""Running a workspace on the site: members and roles, join requests, invitations, leaving,
"who can see and edit this", and the members' private calendar feed.

Every change is a `Membership` change; its signal calls `access.sync_workspace` in the same
transaction, so groups, permissions and restrictions follow at once.
"""

import datetime
import logging
import smtplib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.models import Locale

from config.formats.dates import date_format

from .. import access
from ..models import Invitation, JoinRequest, MeetingPage, Membership, WikiPage, WorkspacePage

logger = logging.getLogger(__name__)

INVITATION_SALT = "wiki.invitation"
CALENDAR_SALT = "wiki.calendar"
INVITATION_DAYS = 14
GUEST_DAYS = 30
MAX_GUEST_DAYS = 366


def _workspace(request, workspace_id):
    workspace = get_object_or_404(WorkspacePage, pk=workspace_id)
    return workspace


def _managed_workspace(request, workspace_id):
    workspace = _workspace(request, workspace_id)
    if not (
        access.can_view_page(request.user, workspace) and access.is_workspace_manager(request.user, workspace)
    ):
        raise PermissionDenied
    return workspace


def _members_url(workspace):
    return reverse("wiki:members", args=[workspace.pk])


class AddMemberForm(forms.Form):
    person = forms.CharField(
        label=gettext_lazy("Username or email"),
        max_length=254,
        help_text=gettext_lazy("The person must already have an account; otherwise, invite them by email."),
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Membership.Role.choices)
    institution = forms.CharField(label=gettext_lazy("Institution"), max_length=255, required=False)

    def clean_person(self):
        value = self.cleaned_data["person"].strip()
        user = get_user_model().objects.filter(
            Q(username__iexact=value) | Q(email__iexact=value), is_active=True
        )
        if user.count() != 1:
            raise forms.ValidationError(_("No account matches « %(value)s ».") % {"value": value})
        return user.get()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Membership.Role.choices)


class InvitationForm(forms.Form):
    """Invite a member by email, or a guest limited to one area (a page and those below it)."""

    email = forms.EmailField(label=gettext_lazy("Email"))
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=Membership.Role.choices, initial=Membership.Role.PARTICIPANT
    )
    area = forms.TypedChoiceField(
        label=gettext_lazy("Access"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=gettext_lazy(
            "A member sees the whole workspace. A guest (for example an institution submitting "
            "a confidential application) reads only the chosen page, the pages below it and "
            "their documents, edits nothing, and loses access on the last day or when you revoke it."
        ),
    )
    until = forms.DateField(
        label=gettext_lazy("Guest access until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("For a guest only: the last day of access (in %(days)s days if empty).")
        % {"days": GUEST_DAYS},
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        areas = WikiPage.objects.descendant_of(workspace).live().order_by("path")
        self.areas = {page.pk: page for page in areas}
        self.fields["area"].choices = [("", _("The whole workspace, as a member"))] + [
            (
                page.pk,
                _("Guest, only: %(title)s")
                % {"title": "— " * (page.depth - workspace.depth - 1) + page.title},
            )
            for page in areas
        ]

    def clean(self):
        cleaned = super().clean()
        until = cleaned.get("until")
        today = timezone.localdate()
        if cleaned.get("area") is None:
            return cleaned
        if until is None:
            cleaned["until"] = today + datetime.timedelta(days=GUEST_DAYS)
        elif until < today:
            self.add_error("until", _("Choose today or a later day."))
        elif until > today + datetime.timedelta(days=MAX_GUEST_DAYS):
            self.add_error("until", _("A guest access lasts at most one year."))
        return cleaned

    def expires(self):
        """When the invitation (and, for a guest, the access) ends."""
        if self.cleaned_data.get("area") is None:
            return timezone.now() + datetime.timedelta(days=INVITATION_DAYS)
        last_day = datetime.datetime.combine(self.cleaned_data["until"], datetime.time.max)
        return timezone.make_aware(last_day)


class JoinForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message to the coordinators"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


def members(request, workspace_id):
    """The coordinators' page: members and roles, requests, invitations, who can see what."""
    workspace = _managed_workspace(request, workspace_id)
    key = workspace.translation_key
    add_form = AddMemberForm(request.POST or None, prefix="add")
    invite_form = InvitationForm(prefix="invite", workspace=workspace)
    if request.method == "POST" and add_form.is_valid():
        person = add_form.cleaned_data["person"]
        with transaction.atomic():
            membership, _created = Membership.objects.get_or_create(user=person, workspace_key=key)
            membership.role = add_form.cleaned_data["role"]
            membership.institution = add_form.cleaned_data["institution"] or membership.institution
            membership.left = None
            if membership.joined > timezone.localdate():
                membership.joined = timezone.localdate()
            membership.save()
        messages.success(request, _("%(name)s is now a member.") % {"name": _name(person)})
        return redirect(_members_url(workspace))
    return render(request, "wiki/members.html", _members_context(workspace, add_form, invite_form))


def _members_context(workspace, add_form, invite_form):
    key = workspace.translation_key
    return {
        "page": workspace,
        "workspace": workspace,
        "memberships": Membership.objects.current()
        .filter(workspace_key=key)
        .select_related("user")
        .order_by("user__last_name", "user__first_name"),
        "requests": JoinRequest.objects.filter(
            workspace_key=key, status=JoinRequest.Status.PENDING
        ).select_related("user"),
        "invitations": Invitation.objects.filter(
            workspace_key=key, accepted_at__isnull=True, revoked_at__isnull=True
        ),
        "guests": [
            (invitation, invitation.area(workspace.locale))
            for invitation in Invitation.objects.filter(
                workspace_key=key,
                area_key__isnull=False,
                accepted_at__isnull=False,
                revoked_at__isnull=True,
                expires__gt=timezone.now(),
            ).select_related("accepted_by")
        ],
        "add_form": add_form,
        "invite_form": invite_form,
        "roles": Membership.Role.choices,
        "audience": access.who_can_access(workspace),
    }


def _name(user):
    return user.get_full_name() or user.get_username()


def _other_managers(membership):
    return (
        Membership.objects.current()
        .filter(workspace_key=membership.workspace_key, role__in=Membership.MANAGER_ROLES)
        .exclude(pk=membership.pk)
        .exists()
    )


@require_POST
def change_role(request, workspace_id, membership_id):
    workspace = _managed_workspace(request, workspace_id)
    membership = get_object_or_404(
        Membership.objects.current(), pk=membership_id, workspace_key=workspace.translation_key
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role from the list."))
    elif form.cleaned_data["role"] not in Membership.MANAGER_ROLES and not _other_managers(membership):
        messages.error(request, _("A workspace keeps at least one coordinator: name another one first."))
    else:
        membership.role = form.cleaned_data["role"]
        membership.save()
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": _name(membership.user), "role": membership.get_role_display()},
        )
    return redirect(_members_url(workspace))


@require_POST
def end_membership(request, workspace_id, membership_id):
    workspace = _managed_workspace(request, workspace_id)
    membership = get_object_or_404(
        Membership.objects.current(), pk=membership_id, workspace_key=workspace.translation_key
    )
    if membership.is_manager and not _other_managers(membership):
        messages.error(request, _("A workspace keeps at least one coordinator: name another one first."))
    else:
        membership.left = timezone.localdate()
        membership.save()
        messages.success(
            request, _("The membership of %(name)s has ended.") % {"name": _name(membership.user)}
        )
    return redirect(_members_url(workspace))


@require_POST
def decide_request(request, workspace_id, request_id, decision):
    workspace = _managed_workspace(request, workspace_id)
    if decision not in ("accept", "refuse"):
        raise Http404
    join_request = get_object_or_404(
        JoinRequest, pk=request_id, workspace_key=workspace.translation_key, status=JoinRequest.Status.PENDING
    )
    with transaction.atomic():
        join_request.status = (
            JoinRequest.Status.ACCEPTED if decision == "accept" else JoinRequest.Status.REFUSED
        )
        join_request.decided_by = request.user
        join_request.decided_at = timezone.now()
        join_request.save()
        if decision == "accept":
            membership, _created = Membership.objects.get_or_create(
                user=join_request.user, workspace_key=workspace.translation_key
            )
            membership.left = None
            membership.joined = min(membership.joined, timezone.localdate())
            membership.save()
    sent = _mail(
        join_request.user.email,
        _("Your request to join %(workspace)s") % {"workspace": workspace.title},
        "wiki/email/join_decision.txt",
        {"workspace": workspace, "accepted": decision == "accept", "url": workspace.full_url},
    )
    if not sent:
        messages.warning(
            request,
            _(
                "The decision is saved, but the email to %(name)s could not be sent: "
                "please tell them yourself."
            )
            % {"name": _name(join_request.user)},
        )
    if decision == "accept":
        messages.success(
            request, _("%(name)s has joined the workspace.") % {"name": _name(join_request.user)}
        )
    else:
        messages.success(
            request, _("The request of %(name)s was refused.") % {"name": _name(join_request.user)}
        )
    return redirect(_members_url(workspace))


@require_POST
def invite(request, workspace_id):
    workspace = _managed_workspace(request, workspace_id)
    form = InvitationForm(request.POST, prefix="invite", workspace=workspace)
    if not form.is_valid():
        return render(
            request,
            "wiki/members.html",
            _members_context(workspace, AddMemberForm(prefix="add"), form),
            status=400,
        )
    area = form.areas.get(form.cleaned_data["area"])
    invitation = Invitation.objects.create(
        workspace_key=workspace.translation_key,
        area_key=area.translation_key if area is not None else None,
        email=form.cleaned_data["email"],
        role=form.cleaned_data["role"] if area is None else Membership.Role.PARTICIPANT,
        invited_by=request.user,
        expires=form.expires(),
    )
    token = signing.dumps(invitation.pk, salt=INVITATION_SALT)
    link = request.build_absolute_uri(reverse("wiki:accept_invitation", args=[token]))
    sent = _mail(
        invitation.email,
        _("Invitation to join %(workspace)s") % {"workspace": workspace.title},
        "wiki/email/invitation.txt",
        {
            "workspace": workspace,
            "area": area,
            "link": link,
            "invitation": invitation,
            "inviter": _name(request.user),
        },
    )
    if sent:
        messages.success(request, _("An invitation was sent to %(email)s.") % {"email": invitation.email})
    else:
        messages.warning(
            request,
            _(
                "The invitation is saved, but the email to %(email)s could not be sent. Send them this "
                "link yourself (it works only for their address): %(link)s"
            )
            % {"email": invitation.email, "link": link},
        )
    return redirect(_members_url(workspace))


@require_POST
def revoke_invitation(request, workspace_id, invitation_id):
    workspace = _managed_workspace(request, workspace_id)
    invitation = get_object_or_404(Invitation, pk=invitation_id, workspace_key=workspace.translation_key)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    messages.success(request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email})
    return redirect(_members_url(workspace))


def accept_invitation(request, token):
    """The signed link of an invitation email: the invited person (signed in) joins."""
    try:
        invitation = Invitation.objects.get(pk=signing.loads(token, salt=INVITATION_SALT))
    except (signing.BadSignature, Invitation.DoesNotExist):
        raise Http404 from None
    workspace = WorkspacePage.objects.filter(translation_key=invitation.workspace_key).first()
    if invitation.grants_access and invitation.accepted_by_id == request.user.pk:
        # A guest's way back: the link of their invitation keeps leading to their area.
        area = invitation.area(Locale.get_active())
        if area is not None:
            return redirect(area.url)
    problem = None
    if not invitation.is_usable:
        problem = _("This invitation has expired, was revoked or has already been used.")
    elif request.user.email.lower() != invitation.email.lower():
        problem = _("This invitation was sent to another address. Sign in with the account of %(email)s.") % {
            "email": invitation.email
        }
    area = invitation.area(Locale.get_active()) if invitation.is_guest else None
    if problem is None and request.method == "POST" and invitation.is_guest:
        # A guest becomes no member: the accepted invitation itself opens the area.
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = request.user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        if area is None:
            raise Http404
        messages.success(
            request,
            _("You may read « %(area)s » until %(date)s.")
            % {
                "area": area.title,
                "date": date_format(timezone.localtime(invitation.expires), "DATE_FORMAT"),
            },
        )
        return redirect(area.url)
    if problem is None and request.method == "POST":
        with transaction.atomic():
            membership, _created = Membership.objects.get_or_create(
                user=request.user, workspace_key=invitation.workspace_key, defaults={"role": invitation.role}
            )
            membership.left = None
            membership.save()
            invitation.accepted_at = timezone.now()
            invitation.accepted_by = request.user
            invitation.save(update_fields=["accepted_at", "accepted_by"])
        messages.success(request, _("Welcome to %(workspace)s.") % {"workspace": workspace.title})
        return redirect((workspace.get_translation_or_none(Locale.get_active()) or workspace).url)
    return render(
        request,
        "wiki/invitation.html",
        {"invitation": invitation, "workspace": workspace, "area": area, "problem": problem},
        status=410 if problem else 200,
    )


@require_POST
def join(request, workspace_id):
    """Ask to join an open workspace; its coordinators are told by email."""
    workspace = _workspace(request, workspace_id)
    if not access.joinable_workspaces(request.user, WorkspacePage.objects.filter(pk=workspace.pk)).exists():
        raise PermissionDenied
    form = JoinForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    join_request, created = JoinRequest.objects.get_or_create(
        user=request.user,
        workspace_key=workspace.translation_key,
        status=JoinRequest.Status.PENDING,
        defaults={"message": message},
    )
    if created:
        managers = Membership.objects.current().filter(
            workspace_key=workspace.translation_key, role__in=Membership.MANAGER_ROLES
        )
        for membership in managers.select_related("user"):
            # A coordinator whose email fails still sees the request on the members page.
            _mail(
                membership.user.email,
                _("Request to join %(workspace)s") % {"workspace": workspace.title},
                "wiki/email/join_request.txt",
                {
                    "workspace": workspace,
                    "person": _name(request.user),
                    "message": message,
                    "url": request.build_absolute_uri(_members_url(workspace)),
                },
            )
    messages.success(
        request,
        _("Your request was sent to the coordinators of %(workspace)s.") % {"workspace": workspace.title},
    )
    return redirect(workspace.get_parent().url)


@require_POST
def leave(request, workspace_id):
    """A member leaves a workspace; the last coordinator must first name another."""
    workspace = _workspace(request, workspace_id)
    membership = (
        Membership.objects.current()
        .filter(user=request.user, workspace_key=workspace.translation_key)
        .first()
    )
    if membership is None:
        raise Http404
    if membership.is_manager and not _other_managers(membership):
        messages.error(request, _("A workspace keeps at least one coordinator: name another one first."))
        return redirect(workspace.url)
    membership.left = timezone.localdate()
    membership.save()
    messages.success(request, _("You have left %(workspace)s.") % {"workspace": workspace.title})
    return redirect(workspace.get_parent().url)


def _mail(to, subject, template, context):
    """Send one email; True when the mail server took it.

    The change that calls for the email is already saved: a mail server that is down or
    refuses the address must not undo it (nor answer with an error page), so the failure is
    logged and the caller tells the person what to do instead.
    """
    if not to:
        return True
    context = {**context, "site_name": settings.WAGTAIL_SITE_NAME}
    try:
        send_mail(subject, render_to_string(template, context), None, [to])
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the email %r to %s", subject, to)
        return False
    return True


# Calendar --------------------------------------------------------------------------------------


def calendar_token(user, workspace):
    # No timestamp: the address stays the same, so calendars keep their subscription.
    return signing.Signer(salt=CALENDAR_SALT).sign_object(
        {"u": user.pk, "w": workspace.translation_key.hex}, compress=True
    )


def calendar(request, workspace_id):
    """Explains the member's private calendar address for this workspace."""
    workspace = _workspace(request, workspace_id)
    if not access.can_view_page(request.user, workspace):
        raise PermissionDenied
    url = request.build_absolute_uri(
        reverse("wiki:calendar_feed", args=[calendar_token(request.user, workspace)])
    )
    return render(request, "wiki/calendar.html", {"page": workspace, "workspace": workspace, "feed_url": url})


@login_not_required
def calendar_feed(request, token):
    """The meetings of a workspace as iCalendar, for the member the token was made for.

    Calendar programs cannot sign in, so the signed token stands for the member; the access
    rule is still asked on every request, so a member who leaves gets nothing more.
    """
    from icalendar import Calendar, Event

    try:
        data = signing.Signer(salt=CALENDAR_SALT).unsign_object(token)
        user = get_user_model().objects.get(pk=data["u"], is_active=True)
    except (signing.BadSignature, KeyError, get_user_model().DoesNotExist):
        raise Http404 from None
    workspace = (
        WorkspacePage.objects.filter(translation_key=data["w"], locale=Locale.get_active()).first()
        or WorkspacePage.objects.filter(translation_key=data["w"]).first()
    )
    if workspace is None or not access.can_view_page(user, workspace):
        raise Http404
    cal = Calendar()
    cal.add("prodid", "-//CoP platform//wiki//")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", workspace.title)
    meetings = access.viewable_pages(user, MeetingPage.objects.child_of(workspace)).order_by("start")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"{meeting.translation_key}-{meeting.locale.language_code}@cop")
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.start)
        event.add("dtend", meeting.end_or_default)
        event.add("dtstamp", meeting.last_published_at or meeting.start)
        if meeting.location:
            event.add("location", meeting.location)
        event.add("url", meeting.full_url)
        event.add("description", f"{meeting.get_mode_display()} — {meeting.full_url}")
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
