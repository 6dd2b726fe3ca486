"""The "My notifications" form: one digest choice and one meeting switch per workspace."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Frequency


class PreferencesForm(forms.Form):
    no_email = forms.BooleanField(
        label=_("Send me no email at all"),
        required=False,
        help_text=_("No digest and no meeting announcement from any workspace, whatever is chosen below."),
    )

    def __init__(self, *args, rows=(), **kwargs):
        """`rows` are (workspace page, subscription) pairs, in the order shown."""
        super().__init__(*args, **kwargs)
        self.rows = []
        for workspace, subscription in rows:
            key = subscription.workspace_key.hex
            digest = forms.ChoiceField(
                label=_("Digest of %(workspace)s") % {"workspace": workspace.title},
                choices=Frequency.choices,
                initial=subscription.digest,
                help_text=_("A summary of what changed that you have not seen yet."),
            )
            meetings = forms.BooleanField(
                label=_("Announce new and moved meetings of %(workspace)s") % {"workspace": workspace.title},
                required=False,
                initial=subscription.meetings,
            )
            self.fields[f"digest_{key}"] = digest
            self.fields[f"meetings_{key}"] = meetings
            self.rows.append((workspace, subscription, self[f"digest_{key}"], self[f"meetings_{key}"]))

    def save(self):
        for _workspace, subscription, digest, meetings in self.rows:
            subscription.digest = self.cleaned_data[digest.name]
            subscription.meetings = self.cleaned_data[meetings.name]
            subscription.save(update_fields=["digest", "meetings"])
