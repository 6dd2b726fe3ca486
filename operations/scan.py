"""Virus scanning of uploads, failing closed.

Every upload path calls the `cop_scan_upload` Wagtail hook: the repository's file check
(`repository.files.validate_upload`, used by deliverable files, the admin's document library,
its multiple uploader and chooser) and the admin's image form (`ScannedImageForm`, set as
WAGTAILIMAGES_IMAGE_FORM_BASE). This module registers the hook (operations sits left of the
other apps, so they call a hook name rather than import it).

VIRUS_SCAN = "off" (development, tests) or "clamav". With "clamav" the file is streamed to
CLAMAV_COMMAND (`clamdscan`, talking to the clamav-daemon, in production; `clamscan` works
without a daemon but loads the signatures for every file) on standard input, so the scanner
needs no read access to the upload's temporary folder. Anything but a clean verdict refuses the
upload: a signature match, and equally a scanner that is missing, crashes, has no signatures or
does not answer within VIRUS_SCAN_TIMEOUT seconds.
"""

import logging
import subprocess

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CLEAN, INFECTED = 0, 1  # clamscan / clamdscan exit codes; anything else is an error


class ScannerUnavailable(Exception):
    """The scanner gave no verdict (missing, crashed, no signatures, too slow)."""


def scanner_command():
    """The command line that scans standard input, from the settings."""
    command = [getattr(settings, "CLAMAV_COMMAND", "clamdscan"), "--no-summary", "--stdout"]
    database = getattr(settings, "CLAMAV_DATABASE", "")
    if database:
        # Only clamscan reads signatures itself; clamd has its own configuration.
        command += ["--database", str(database)]
    return [*command, "-"]


def scan_file(uploaded):
    """Scan an uploaded file; return "" when clean or the signature's name when infected.

    Large uploads (on disk) are given to the scanner as its standard input directly, small ones
    (in memory) are piped. Raises ScannerUnavailable when there is no verdict.
    """
    timeout = getattr(settings, "VIRUS_SCAN_TIMEOUT", 60)
    on_disk = hasattr(uploaded, "temporary_file_path")
    if on_disk:
        stdin, data = open(uploaded.temporary_file_path(), "rb"), None  # noqa: SIM115
    else:
        uploaded.seek(0)
        stdin, data = subprocess.PIPE, b"".join(uploaded.chunks())
        uploaded.seek(0)
    try:
        process = subprocess.Popen(  # noqa: S603 - fixed program from settings, no shell
            scanner_command(),
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as error:
        raise ScannerUnavailable(f"cannot start the scanner: {error}") from error
    finally:
        if on_disk:
            stdin.close()
    try:
        output, errors = process.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired as error:
        process.kill()
        process.communicate()
        raise ScannerUnavailable(f"no answer within {timeout} s") from error
    except OSError as error:  # the scanner died while reading: broken pipe
        process.kill()
        process.communicate()
        raise ScannerUnavailable(f"scanner failed: {error}") from error
    text = output.decode("utf-8", "replace").strip()
    if process.returncode == CLEAN:
        return ""
    if process.returncode == INFECTED and text.endswith("FOUND"):
        # "stdin: Name.Of.Signature FOUND"
        return text.rsplit(":", 1)[-1].removesuffix("FOUND").strip() or "unknown"
    raise ScannerUnavailable(
        f"exit {process.returncode}: {text[:200]} {errors.decode('utf-8', 'replace').strip()[:300]}"
    )


def scan_upload(uploaded):
    """Refuse (translated ValidationError) an upload that is infected or cannot be scanned."""
    mode = getattr(settings, "VIRUS_SCAN", "off")
    if mode == "off":
        return
    if mode != "clamav":
        raise ImproperlyConfigured(f'VIRUS_SCAN must be "off" or "clamav", not {mode!r}.')
    try:
        signature = scan_file(uploaded)
    except ScannerUnavailable as error:
        logger.error("Upload %r refused: virus scanner unavailable (%s)", uploaded.name, error)
        raise ValidationError(
            _(
                "This file cannot be accepted right now: the virus scan could not be done. "
                "Try again in a few minutes; if it goes on, tell the administrators."
            ),
            code="scan_unavailable",
        ) from error
    if signature:
        logger.warning("Upload %r refused: virus scanner found %s", uploaded.name, signature)
        raise ValidationError(
            _("This file is refused: the virus scan found a threat (%(signature)s)."),
            code="infected",
            params={"signature": signature},
        )
