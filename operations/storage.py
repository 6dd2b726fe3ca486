"""File storage that never leaves a half-written file behind.

Django's FileSystemStorage writes straight into the final path: a full disk or a crash in the
middle leaves a truncated file that looks like a real one. Here the upload is written to a
hidden temporary file in the same folder and linked to its final name only once complete; any
failure removes the temporary file and the error propagates, so the model is not saved either
(Wagtail saves the record after the file).
"""

import os
import tempfile

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks():
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            while True:
                try:
                    # A hard link claims the final name without ever overwriting another file.
                    os.link(temporary, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        elif getattr(settings, "FILE_UPLOAD_PERMISSIONS", None) is None:
            # mkstemp creates 0600 files; give them the usual permissions of an upload.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(full_path, 0o666 & ~umask)
        return str(name).replace("\\", "/")
