"""The admin's image form, with the virus scan every upload gets.

Set as WAGTAILIMAGES_IMAGE_FORM_BASE, so the image library, its multiple uploader and the
chooser's upload tab all scan a newly sent file (documents are scanned by the repository's file
check, which calls the same `cop_scan_upload` hook).
"""

from django.core.files.uploadedfile import UploadedFile
from wagtail import hooks
from wagtail.images.forms import BaseImageForm


class ScannedImageForm(BaseImageForm):
    """Wagtail's image form, refusing a new file that the virus scan does not pass."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        # Only a newly sent file is scanned: editing an image's title keeps its stored file.
        if isinstance(uploaded, UploadedFile):
            for scan in hooks.get_hooks("cop_scan_upload"):
                scan(uploaded)
        return uploaded
