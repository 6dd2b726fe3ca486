"""OAI-PMH 2.0 data provider (https://www.openarchives.org/OAI/openarchivesprotocol.html).

Records are deliverables with an identifier; only public, non-embargoed ones are disseminated,
in `oai_dc`. A record that was once public and no longer is (unpublished, deleted, restricted,
embargoed again) is reported as deleted ("persistent" deleted-record support: identifier rows
are never removed). The public check is `wiki.access.viewable_pages` for a visitor who is not
signed in.
"""

import base64
import binascii
import datetime
import json
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from wiki import access
from wiki.models import WorkspacePage

from .models import DeliverableIdentifier, DeliverablePage

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ET.register_namespace("", OAI)
ET.register_namespace("oai_dc", OAI_DC)
ET.register_namespace("dc", DC)
ET.register_namespace("xsi", XSI)

VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}
FORMATS = {"oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC)}


def page_size():
    return getattr(settings, "OAI_PAGE_SIZE", 100)


class OAIError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def _q(namespace, tag):
    return f"{{{namespace}}}{tag}"


def _sub(parent, tag, text=None, namespace=OAI, **attributes):
    element = ET.SubElement(parent, _q(namespace, tag), attributes)
    if text is not None:
        element.text = str(text)
    return element


def _stamp(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _domain():
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def oai_identifier(row):
    return f"oai:{_domain()}:{row.identifier}"


def _row_for(identifier):
    prefix = f"oai:{_domain()}:"
    if not identifier.startswith(prefix):
        return None
    return DeliverableIdentifier.objects.filter(
        identifier=identifier[len(prefix) :], was_public=True, datestamp__lte=timezone.now()
    ).first()


def _parse_date(value, end):
    """(datetime, granularity) for an OAI date argument, or OAIError."""
    try:
        if len(value) == 10:
            day = datetime.date.fromisoformat(value)
            moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
            return moment.replace(tzinfo=datetime.UTC), "day"
        if len(value) == 20 and value.endswith("Z") and "T" in value:
            moment = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
            if end:
                moment = moment.replace(microsecond=999999)
            return moment.replace(tzinfo=datetime.UTC), "seconds"
    except ValueError:
        pass
    raise OAIError("badArgument", f"Illegal date: {value}")


def _sets_of(row):
    sets = []
    if row.workspace_key:
        sets.append(f"workspace:{row.workspace_key.hex}")
    if row.deliverable_type:
        sets.append(f"type:{row.deliverable_type}")
    return sets


def _public_pages(rows):
    """{translation_key: [pages]} of the rows that are public and not embargoed now."""
    today = timezone.localdate()
    pages = access.viewable_pages(
        AnonymousUser(),
        DeliverablePage.objects.filter(
            translation_key__in=[row.translation_key for row in rows],
            access_level=DeliverablePage.Access.PUBLIC,
        ),
    ).filter(Q(embargo_until=None) | Q(embargo_until__lte=today))
    result = {}
    for page in pages.select_related("locale", "licence").prefetch_related(
        "creators", "contributors", "files"
    ):
        result.setdefault(page.translation_key, []).append(page)
    for group in result.values():
        group.sort(key=lambda p: p.locale.language_code != settings.LANGUAGE_CODE)
    return result


def _header(parent, row, deleted):
    header = _sub(parent, "header", status="deleted") if deleted else _sub(parent, "header")
    _sub(header, "identifier", oai_identifier(row))
    _sub(header, "datestamp", _stamp(row.datestamp))
    for spec in _sets_of(row):
        _sub(header, "setSpec", spec)


def _dc(parent, pages):
    page = pages[0]
    dc = ET.SubElement(
        parent,
        _q(OAI_DC, "dc"),
        {_q(XSI, "schemaLocation"): f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"},
    )

    def add(tag, text, lang=None):
        if text:
            element = _sub(dc, tag, text, namespace=DC)
            if lang:
                element.set(XML_LANG, lang)

    for translation in pages:
        add("title", translation.title, translation.locale.language_code)
    add("title", page.alternative_title)
    for creator in page.creators.all():
        add("creator", f"{creator.family_name}, {creator.given_name}".rstrip(", "))
    for tag in page.tags.all():
        add("subject", tag.name)
    for translation in pages:
        add("description", translation.abstract, translation.locale.language_code)
    add("publisher", settings.WAGTAIL_SITE_NAME)
    for organisation in page.contributors.all():
        add("contributor", str(organisation))
    if page.date_issued:
        add("date", page.date_issued.isoformat())
    add("type", page.deliverable_type)
    for file in page.files.all():
        add("format", file.mime_type)
    add("identifier", page.permanent_url())
    for code in page.languages.split(","):
        add("language", code)
    if page.previous_version_id and page.previous_version:
        add("relation", page.previous_version.permanent_url())
    if page.is_part_of_id and page.is_part_of:
        add("relation", page.is_part_of.permanent_url())
    if page.coverage:
        add("coverage", page.get_coverage_display())
    if page.licence_id:
        # The licence statement and credit line in both languages, then where the terms are read.
        from licensing.attribution import dc_rights, licence_page_url

        for language in ("fr", "en"):
            add("rights", dc_rights(page.licence, language, title=page.title), language)
        add("rights", page.licence.url or settings.WAGTAILADMIN_BASE_URL + licence_page_url(page.licence))
    add("rights", "info:eu-repo/semantics/openAccess")


def _encode_token(arguments, offset):
    data = json.dumps({**arguments, "offset": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _decode_token(token):
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        offset = int(data.pop("offset"))
        if offset < 0 or not set(data) <= {"metadataPrefix", "from", "until", "set"}:
            raise ValueError
        return data, offset
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        raise OAIError("badResumptionToken", "The resumption token is invalid or has expired.") from None


def _list_rows(arguments):
    if arguments.get("metadataPrefix") not in FORMATS:
        raise OAIError("cannotDisseminateFormat", "Only oai_dc is disseminated.")
    rows = DeliverableIdentifier.objects.filter(was_public=True, datestamp__lte=timezone.now())
    granularities = set()
    if "from" in arguments:
        moment, granularity = _parse_date(arguments["from"], end=False)
        granularities.add(granularity)
        rows = rows.filter(datestamp__gte=moment)
    if "until" in arguments:
        moment, granularity = _parse_date(arguments["until"], end=True)
        granularities.add(granularity)
        rows = rows.filter(datestamp__lte=moment)
    if len(granularities) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity.")
    if (
        "from" in arguments
        and "until" in arguments
        and _parse_date(arguments["from"], False)[0] > _parse_date(arguments["until"], True)[0]
    ):
        raise OAIError("badArgument", "from is later than until.")
    spec = arguments.get("set")
    if spec:
        kind, _sep, value = spec.partition(":")
        if kind == "workspace":
            try:
                rows = rows.filter(workspace_key=uuid.UUID(hex=value))
            except ValueError:
                rows = rows.none()
        elif kind == "type":
            rows = rows.filter(deliverable_type=value)
        else:
            rows = rows.none()
    return rows.order_by("datestamp", "pk")


def _paged(root, verb, arguments, offset, write):
    rows_query = _list_rows(arguments)
    total = rows_query.count()
    rows = list(rows_query[offset : offset + page_size()])
    if not rows:
        raise OAIError("noRecordsMatch", "No record matches these arguments.")
    public = _public_pages(rows)
    container = _sub(root, verb)
    for row in rows:
        write(container, row, public.get(row.translation_key))
    if offset or total > offset + len(rows):
        following = offset + len(rows)
        token = _encode_token(arguments, following) if following < total else ""
        element = _sub(container, "resumptionToken", token or None)
        element.set("completeListSize", str(total))
        element.set("cursor", str(offset))


def _write_identifier(container, row, pages):
    _header(container, row, deleted=not pages)


def _write_record(container, row, pages):
    record = _sub(container, "record")
    _header(record, row, deleted=not pages)
    if pages:
        _dc(_sub(record, "metadata"), pages)


def _identify(root, arguments, request):
    identify = _sub(root, "Identify")
    _sub(identify, "repositoryName", settings.WAGTAIL_SITE_NAME)
    _sub(identify, "baseURL", request.build_absolute_uri(request.path))
    _sub(identify, "protocolVersion", "2.0")
    for _name, address in getattr(settings, "ADMINS", []) or [("", "depot@" + _domain())]:
        _sub(identify, "adminEmail", address)
    earliest = DeliverableIdentifier.objects.order_by("datestamp").values_list("datestamp", flat=True).first()
    _sub(identify, "earliestDatestamp", _stamp(earliest or timezone.now()))
    _sub(identify, "deletedRecord", "persistent")
    _sub(identify, "granularity", "YYYY-MM-DDThh:mm:ssZ")


def _list_metadata_formats(root, arguments, request):
    if "identifier" in arguments and _row_for(arguments["identifier"]) is None:
        raise OAIError("idDoesNotExist", "No such identifier.")
    formats = _sub(root, "ListMetadataFormats")
    for prefix, (schema, namespace) in FORMATS.items():
        element = _sub(formats, "metadataFormat")
        _sub(element, "metadataPrefix", prefix)
        _sub(element, "schema", schema)
        _sub(element, "metadataNamespace", namespace)


def _list_sets(root, arguments, request):
    if "resumptionToken" in arguments:
        raise OAIError("badResumptionToken", "ListSets is never split: no token is valid.")
    sets = _sub(root, "ListSets")
    exposed = DeliverableIdentifier.objects.filter(was_public=True)
    keys = set(exposed.exclude(workspace_key=None).values_list("workspace_key", flat=True))
    workspaces = WorkspacePage.objects.filter(
        translation_key__in=keys, locale__language_code=settings.LANGUAGE_CODE
    )
    for workspace in workspaces.order_by("title"):
        element = _sub(sets, "set")
        _sub(element, "setSpec", f"workspace:{workspace.translation_key.hex}")
        _sub(element, "setName", workspace.title)
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        for value, label in DeliverablePage.Type.choices:
            element = _sub(sets, "set")
            _sub(element, "setSpec", f"type:{value}")
            _sub(element, "setName", str(label))


def _list(verb, write):
    def handler(root, arguments, request):
        if "resumptionToken" in arguments:
            stored, offset = _decode_token(arguments["resumptionToken"])
            _paged(root, verb, stored, offset, write)
        else:
            _paged(root, verb, arguments, 0, write)

    return handler


def _get_record(root, arguments, request):
    if arguments["metadataPrefix"] not in FORMATS:
        raise OAIError("cannotDisseminateFormat", "Only oai_dc is disseminated.")
    row = _row_for(arguments["identifier"])
    if row is None:
        raise OAIError("idDoesNotExist", "No such identifier.")
    container = _sub(root, "GetRecord")
    _write_record(container, row, _public_pages([row]).get(row.translation_key))


HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "ListIdentifiers": _list("ListIdentifiers", _write_identifier),
    "ListRecords": _list("ListRecords", _write_record),
    "GetRecord": _get_record,
}


def _check_arguments(params):
    """(verb, arguments) or OAIError: every argument once, the right ones for the verb."""
    for key in params:
        if len(params.getlist(key)) > 1:
            raise OAIError("badArgument", f"Repeated argument: {key}")
    verb = params.get("verb")
    if verb not in VERBS:
        raise OAIError("badVerb", "Missing or illegal verb.")
    arguments = {key: params[key] for key in params if key != "verb"}
    required, optional = VERBS[verb]
    if "resumptionToken" in arguments and "resumptionToken" in optional:
        if len(arguments) > 1:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument.")
        return verb, arguments
    unknown = set(arguments) - required - optional
    if unknown:
        raise OAIError("badArgument", f"Illegal argument(s): {', '.join(sorted(unknown))}")
    missing = required - set(arguments)
    if missing:
        raise OAIError("badArgument", f"Missing argument(s): {', '.join(sorted(missing))}")
    return verb, arguments


@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def endpoint(request):
    root = ET.Element(
        _q(OAI, "OAI-PMH"),
        {_q(XSI, "schemaLocation"): f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"},
    )
    _sub(root, "responseDate", _stamp(timezone.now()))
    params = request.POST if request.method == "POST" else request.GET
    base_url = request.build_absolute_uri(request.path)
    request_element = _sub(root, "request", base_url)
    try:
        verb, arguments = _check_arguments(params)
        request_element.set("verb", verb)
        for key, value in arguments.items():
            request_element.set(key, value)
        HANDLERS[verb](root, arguments, request)
    except OAIError as error:
        if error.code in {"badVerb", "badArgument"}:
            request_element.attrib.clear()
        for child in list(root)[2:]:
            root.remove(child)
        _sub(root, "error", error.message, code=error.code)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
