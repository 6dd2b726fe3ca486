"""Forms the repository gives to Wagtail.

`CheckedDocumentForm` is the base of every Wagtail document form (WAGTAILDOCS_DOCUMENT_FORM_BASE):
the admin's document upload, its edit view, the multiple uploader and the upload tab of the
document chooser. It applies to each new file the same checks as a deliverable's file (content
type from the bytes against the allow-list, extension matching the content, size limit, zip
bombs, damaged files), so no path into the document library skips them.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm

from . import files


def check_uploaded_file(uploaded):
    """(MIME type, extracted text) of a new upload, or a translated `ValidationError`."""
    mime_type = files.validate_upload(uploaded)
    text, error = files.extract_uploaded(uploaded, mime_type)
    if error in {"damaged", "too_big"}:
        raise ValidationError(files.extraction_error_message(error), code=error)
    return mime_type, text


class CheckedDocumentForm(BaseDocumentForm):
    """A Wagtail document form that refuses the files a deliverable's upload would refuse."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        # Only a newly sent file is checked: editing a document's title keeps its stored file.
        if isinstance(uploaded, UploadedFile):
            check_uploaded_file(uploaded)
        return uploaded
