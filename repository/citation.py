"""Citing a deliverable: APA text, BibTeX, RIS, CSL-JSON, schema.org JSON-LD and citation_* tags."""

import json

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe

BIBTEX_TYPES = {"report": "techreport", "minutes": "misc", "article": "article", "dataset": "misc"}
RIS_TYPES = {
    "report": "RPRT",
    "km_plan": "RPRT",
    "tool": "COMP",
    "guide": "GEN",
    "minutes": "GEN",
    "presentation": "SLIDE",
    "article": "JOUR",
    "audio": "SOUND",
    "video": "VIDEO",
    "dataset": "DATA",
}
CSL_TYPES = {
    "report": "report",
    "km_plan": "report",
    "tool": "software",
    "guide": "document",
    "minutes": "document",
    "presentation": "speech",
    "article": "article-journal",
    "audio": "song",
    "video": "motion_picture",
    "dataset": "dataset",
}
SCHEMA_TYPES = {
    "report": "Report",
    "km_plan": "Report",
    "tool": "CreativeWork",
    "guide": "CreativeWork",
    "minutes": "CreativeWork",
    "presentation": "PresentationDigitalDocument",
    "article": "ScholarlyArticle",
    "audio": "AudioObject",
    "video": "VideoObject",
    "dataset": "Dataset",
}


def publisher():
    return settings.WAGTAIL_SITE_NAME


def _creators(page):
    return page.creator_list()


def _corporate_author(page):
    workspace = page.workspace()
    return workspace.title if workspace else publisher()


def _initials(given):
    parts = []
    for word in given.split():
        parts.append("-".join(f"{piece[0]}." for piece in word.split("-") if piece))
    return " ".join(parts)


def _url(page, request):
    return page.permanent_url(request)


def apa(page, request=None):
    """APA 7 reference as plain text (the title is italicised in the page's template)."""
    creators = _creators(page)
    names = [f"{c.family_name}, {_initials(c.given_name)}".rstrip(", ") for c in creators]
    if not names:
        authors = _corporate_author(page)
    elif len(names) == 1:
        authors = names[0]
    else:
        authors = ", ".join(names[:-1]) + ", & " + names[-1]
    year = page.date_issued.year if page.date_issued else "s.d."
    version = f" (Version {page.version})" if page.version and page.version != "1" else ""
    kind = page.get_deliverable_type_display()
    return {
        "authors": authors,
        "year": year,
        "title": page.title,
        "rest": f"{version} [{kind}]. {publisher()}. {_url(page, request)}",
    }


def apa_text(page, request=None):
    parts = apa(page, request)
    return f"{parts['authors']} ({parts['year']}). {parts['title']}{parts['rest']}"


def _bibtex_escape(text):
    return str(text).replace("\\", "\\textbackslash{}").replace("{", "\\{").replace("}", "\\}")


def bibtex(page, request=None):
    creators = _creators(page)
    if creators:
        author = " and ".join(f"{c.family_name}, {c.given_name}".rstrip(", ") for c in creators)
    else:
        author = "{" + _corporate_author(page) + "}"
    fields = {
        "title": page.title,
        "author": author,
        "year": page.date_issued.year if page.date_issued else "",
        "institution"
        if BIBTEX_TYPES.get(page.deliverable_type) == "techreport"
        else "publisher": publisher(),
        "url": _url(page, request),
        "version": page.version,
        "language": page.languages.replace(",", " and "),
        "abstract": page.abstract,
        "keywords": ", ".join(tag.name for tag in page.subject_list()),
    }
    key = (page.identifier or f"deliverable{page.pk}").replace("-", "")
    lines = [f"@{BIBTEX_TYPES.get(page.deliverable_type, 'misc')}{{{key},"]
    for name, value in fields.items():
        if value in ("", None):
            continue
        value = value if name == "author" else _bibtex_escape(value)
        lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def ris(page, request=None):
    lines = [f"TY  - {RIS_TYPES.get(page.deliverable_type, 'GEN')}"]
    for creator in _creators(page):
        lines.append(f"AU  - {creator.family_name}, {creator.given_name}".rstrip(", "))
    if not page.creators.exists():
        lines.append(f"AU  - {_corporate_author(page)}")
    lines.append(f"TI  - {page.title}")
    if page.alternative_title:
        lines.append(f"T2  - {page.alternative_title}")
    if page.date_issued:
        lines.append(f"PY  - {page.date_issued.year}")
        lines.append(f"DA  - {page.date_issued:%Y/%m/%d}")
    if page.abstract:
        lines.append(f"AB  - {' '.join(page.abstract.split())}")
    for tag in page.subject_list():
        lines.append(f"KW  - {tag.name}")
    lines.append(f"PB  - {publisher()}")
    lines.append(f"LA  - {page.languages}")
    lines.append(f"ET  - {page.version}")
    lines.append(f"UR  - {_url(page, request)}")
    if page.identifier:
        lines.append(f"ID  - {page.identifier}")
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


def csl(page, request=None):
    item = {
        "id": page.identifier or f"deliverable-{page.pk}",
        "type": CSL_TYPES.get(page.deliverable_type, "document"),
        "title": page.title,
        "publisher": publisher(),
        "URL": _url(page, request),
        "version": page.version,
        "language": page.languages.split(",")[0],
    }
    creators = _creators(page)
    if creators:
        item["author"] = [{"family": c.family_name, "given": c.given_name} for c in creators]
    else:
        item["author"] = [{"literal": _corporate_author(page)}]
    if page.date_issued:
        d = page.date_issued
        item["issued"] = {"date-parts": [[d.year, d.month, d.day]]}
    if page.abstract:
        item["abstract"] = page.abstract
    return [item]


def json_ld(page, request=None):
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(page.deliverable_type, "CreativeWork"),
        "@id": _url(page, request),
        "name": page.title,
        "url": _url(page, request),
        "inLanguage": page.languages.split(","),
        "publisher": {"@type": "Organization", "name": publisher()},
        "version": page.version,
    }
    if page.identifier:
        data["identifier"] = page.identifier
    if page.alternative_title:
        data["alternateName"] = page.alternative_title
    if page.abstract:
        data["abstract"] = page.abstract
    if page.date_issued:
        data["datePublished"] = page.date_issued.isoformat()
    creators = _creators(page)
    if creators:
        data["creator"] = [
            {
                "@type": "Person",
                "familyName": c.family_name,
                "givenName": c.given_name,
                **(
                    {"affiliation": {"@type": "Organization", "name": c.affiliation}} if c.affiliation else {}
                ),
            }
            for c in creators
        ]
    keywords = [tag.name for tag in page.subject_list()]
    if keywords:
        data["keywords"] = keywords
    if page.licence_id and page.licence.url:
        data["license"] = page.licence.url
    if page.coverage:
        data["spatialCoverage"] = page.get_coverage_display()
    # "</" cannot end the script element early once escaped.
    return mark_safe(json.dumps(data, ensure_ascii=False).replace("</", "<\\/"))  # noqa: S308 - "</" escaped


def meta_tags(page, request=None):
    """Highwire Press tags read by Google Scholar and Zotero."""
    tags = [("citation_title", page.title), ("citation_publisher", publisher())]
    for creator in _creators(page):
        tags.append(("citation_author", f"{creator.family_name}, {creator.given_name}".rstrip(", ")))
        if creator.affiliation:
            tags.append(("citation_author_institution", creator.affiliation))
    if page.date_issued:
        tags.append(("citation_publication_date", page.date_issued.strftime("%Y/%m/%d")))
    tags.append(("citation_language", page.languages.split(",")[0]))
    if page.deliverable_type in {"report", "km_plan"}:
        tags.append(("citation_technical_report_institution", publisher()))
    if page.identifier:
        tags.append(("citation_technical_report_number", page.identifier))
    for tag in page.subject_list():
        tags.append(("citation_keywords", tag.name))
    tags.append(("citation_abstract_html_url", _url(page, request)))
    if page.access_level == page.Access.PUBLIC and not page.under_embargo:
        from django.urls import reverse

        for file in page.deliverable_files():
            if file.mime_type == "application/pdf":
                path = reverse("deliverable_file", args=[file.pk])
                url = request.build_absolute_uri(path) if request else settings.WAGTAILADMIN_BASE_URL + path
                tags.append(("citation_pdf_url", url))
                break
    html = "\n".join(f'<meta name="{name}" content="{escape(value)}">' for name, value in tags)
    return mark_safe(html)  # noqa: S308 - every value went through escape()
