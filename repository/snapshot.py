"""A PDF snapshot of a wiki page or a meeting, deposited as a deliverable's file.

Why PDF rather than a self-contained HTML file: the repository's allow-list refuses HTML
(a browser could run it), downloads never serve it inline, and licensed PDFs get the
licensing app's cover page. A PDF goes through the same checks, text extraction, fixity and
stamping as any other deliverable file, and stays readable without the platform.

The content is rendered block by block with reportlab (already used for the licence cover
page): headings, paragraphs with bold, italics and links, lists, quotes, callouts, images and
tables. Labels are in the page's language; text uses DejaVu Sans when the system has it, so
any character of the page prints, and Helvetica otherwise.
"""

import io
import os
from xml.sax.saxutils import escape

from bs4 import BeautifulSoup, NavigableString
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.rich_text import expand_db_html

from config.formats.dates import date_format, datetime_format

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
INLINE_TAGS = {
    "b": "b",
    "strong": "b",
    "i": "i",
    "em": "i",
    "u": "u",
    "s": "strike",
    "sup": "super",
    "sub": "sub",
}
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "hr", "table", "div", "pre"}


def _fonts():
    """(regular, bold, italic) font names, registering DejaVu Sans once if it is installed."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "CopSans" in pdfmetrics.getRegisteredFontNames():
        return "CopSans", "CopSans-Bold", "CopSans-Italic"
    files = {
        "CopSans": "DejaVuSans.ttf",
        "CopSans-Bold": "DejaVuSans-Bold.ttf",
        "CopSans-Italic": "DejaVuSans-Oblique.ttf",
        "CopSans-BoldItalic": "DejaVuSans-BoldOblique.ttf",
    }
    paths = {name: os.path.join(FONT_DIR, file) for name, file in files.items()}
    if not all(os.path.exists(path) for path in paths.values()):
        return "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"
    for name, path in paths.items():
        pdfmetrics.registerFont(TTFont(name, path))
    addMapping("CopSans", 0, 0, "CopSans")
    addMapping("CopSans", 1, 0, "CopSans-Bold")
    addMapping("CopSans", 0, 1, "CopSans-Italic")
    addMapping("CopSans", 1, 1, "CopSans-BoldItalic")
    return "CopSans", "CopSans-Bold", "CopSans-Italic"


class _Builder:
    """Turns the page's blocks and rich text into reportlab flowables, and collects its text."""

    def __init__(self, base_url):
        from reportlab.lib import colors
        from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

        regular, bold, italic = _fonts()
        sheet = getSampleStyleSheet()
        self.base_url = base_url.rstrip("/")
        self.styles = {
            "title": ParagraphStyle(
                "CopTitle", parent=sheet["Title"], fontName=bold, fontSize=18, leading=22
            ),
            "body": ParagraphStyle(
                "CopBody", parent=sheet["BodyText"], fontName=regular, fontSize=10.5, leading=14
            ),
            "meta": ParagraphStyle(
                "CopMeta",
                parent=sheet["BodyText"],
                fontName=regular,
                fontSize=8.5,
                leading=11,
                textColor=colors.grey,
            ),
            "h2": ParagraphStyle("CopH2", parent=sheet["Heading2"], fontName=bold, fontSize=14, leading=18),
            "h3": ParagraphStyle("CopH3", parent=sheet["Heading3"], fontName=bold, fontSize=12, leading=15),
            "quote": ParagraphStyle(
                "CopQuote",
                parent=sheet["BodyText"],
                fontName=italic,
                fontSize=10.5,
                leading=14,
                leftIndent=18,
            ),
            "callout": ParagraphStyle(
                "CopCallout",
                parent=sheet["BodyText"],
                fontName=regular,
                fontSize=10.5,
                leading=14,
                leftIndent=10,
                borderPadding=6,
                borderColor=colors.HexColor("#1f5f8b"),
                borderWidth=0.8,
                backColor=colors.HexColor("#eef4f8"),
                spaceBefore=8,
                spaceAfter=8,
            ),
        }
        self.story = []
        self.text = []

    # Text ---------------------------------------------------------------------------------

    def _absolute(self, url):
        if url.startswith("/") and not url.startswith("//"):
            return self.base_url + url
        return url

    def _inline(self, node):
        """reportlab paragraph markup of an element's inline content (everything escaped)."""
        parts = []
        for child in node.children:
            if isinstance(child, NavigableString):
                parts.append(escape(str(child)))
            elif child.name == "br":
                parts.append("<br/>")
            elif child.name in INLINE_TAGS:
                tag = INLINE_TAGS[child.name]
                parts.append(f"<{tag}>{self._inline(child)}</{tag}>")
            elif child.name == "a" and child.get("href", "").startswith(
                ("http://", "https://", "/", "mailto:")
            ):
                href = escape(self._absolute(child["href"]), {'"': "&quot;"})
                parts.append(f'<a href="{href}" color="#1f5f8b"><u>{self._inline(child)}</u></a>')
            else:
                parts.append(self._inline(child))
        return "".join(parts)

    def paragraph(self, markup, style="body", plain=None):
        from reportlab.platypus import Paragraph

        if not markup.strip():
            return
        self.story.append(Paragraph(markup, self.styles[style]))
        self.text.append(plain if plain is not None else BeautifulSoup(markup, "html.parser").get_text())

    def plain(self, text, style="body"):
        self.paragraph(escape(text).replace("\n", "<br/>"), style, plain=text)

    def heading(self, text, level=2):
        self.plain(text, "h2" if level <= 2 else "h3")

    def rich_text(self, html, style="body"):
        """Rich text (database or rendered HTML) as paragraphs, headings, lists and quotes."""
        from reportlab.platypus import ListFlowable, ListItem, Paragraph, Spacer

        soup = BeautifulSoup(expand_db_html(str(html)), "html.parser")
        loose = []

        def flush():
            if loose:
                self.paragraph("".join(loose), style)
                loose.clear()

        for node in soup.children:
            if isinstance(node, NavigableString) or node.name not in BLOCK_TAGS:
                chunk = escape(str(node)) if isinstance(node, NavigableString) else self._inline_of(node)
                if chunk.strip():
                    loose.append(chunk)
                continue
            flush()
            if node.name in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                self.heading(node.get_text(" ", strip=True), int(node.name[1]))
            elif node.name in {"ul", "ol"}:
                items = []
                for item in node.find_all("li", recursive=False):
                    items.append(ListItem(Paragraph(self._inline(item), self.styles[style]), leftIndent=14))
                    self.text.append(item.get_text(" ", strip=True))
                if items:
                    self.story.append(
                        ListFlowable(
                            items,
                            bulletType="1" if node.name == "ol" else "bullet",
                            start=None if node.name == "ol" else "•",
                            leftIndent=14,
                            bulletFontName=self.styles["body"].fontName,
                        )
                    )
            elif node.name == "blockquote":
                self.paragraph(self._inline(node), "quote")
            elif node.name == "hr":
                self.story.append(Spacer(1, 8))
            elif node.name == "table":
                self.table(
                    [
                        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
                        for row in node.find_all("tr")
                    ]
                )
            elif node.name == "div":
                self.rich_text(node.decode_contents(), style)
            else:
                self.paragraph(self._inline(node), style)
        flush()

    def _inline_of(self, node):
        wrapper = BeautifulSoup("<span></span>", "html.parser").span
        wrapper.append(node.__copy__())
        return self._inline(wrapper)

    def table(self, rows, header=True):
        from reportlab.lib import colors
        from reportlab.platypus import Paragraph, Table, TableStyle

        rows = [row for row in rows if row]
        if not rows:
            return
        width = max(len(row) for row in rows)
        cells = [
            [Paragraph(escape(str(value)), self.styles["body"]) for value in row + [""] * (width - len(row))]
            for row in rows
        ]
        table = Table(cells, repeatRows=1 if header else 0, hAlign="LEFT")
        commands = [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")))
        table.setStyle(TableStyle(commands))
        self.story.append(table)
        self.text.extend(" ".join(str(value) for value in row) for row in rows)

    def image(self, image, alt_text, caption):
        from reportlab.platypus import Image

        try:
            rendition = image.get_rendition("max-900x700")
            with rendition.file.open("rb") as handle:
                data = io.BytesIO(handle.read())
            ratio = min(1.0, 450 / rendition.width)
            self.story.append(Image(data, width=rendition.width * ratio, height=rendition.height * ratio))
        except Exception:  # noqa: BLE001 - a missing or unreadable image file must not lose the text
            self.plain(f"[{_('Image')}: {alt_text}]", "meta")
        if caption:
            self.plain(caption, "meta")

    # Stream blocks ------------------------------------------------------------------------

    def stream(self, value, render_links=None):
        """A BodyStreamBlock value, block by block; `render_links` resolves [[wiki links]]."""
        for block in value:
            kind, data = block.block_type, block.value
            if kind == "heading":
                self.heading(str(data))
            elif kind == "paragraph":
                html = data.source if hasattr(data, "source") else str(data)
                html = expand_db_html(html)
                self.rich_text(render_links(html) if render_links else html)
            elif kind == "callout":
                label = {"note": _("Note"), "warning": _("Warning"), "decision": _("Decision")}.get(
                    data["kind"], ""
                )
                self.plain(label, "h3")
                self.rich_text(data["text"].source, "callout")
            elif kind == "image":
                self.image(data["image"], data["alt_text"], data["caption"])
            elif kind == "document":
                document = data["document"]
                if document is not None:
                    title = data["title"] or document.title
                    self.plain(f"{_('Document')}: {title} ({document.file_extension.upper()})")
            elif kind == "quote":
                self.plain(str(data), "quote")


def _footer(title):
    def draw(canvas, document):
        canvas.saveState()
        canvas.setFont("CopSans" if "CopSans" in _registered() else "Helvetica", 8)
        canvas.setFillGray(0.4)
        canvas.drawString(document.leftMargin, 30, title[:110])
        canvas.drawRightString(document.pagesize[0] - document.rightMargin, 30, str(document.page))
        canvas.restoreState()

    return draw


def _registered():
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.getRegisteredFontNames()


def _when(value):
    return datetime_format(value) if value else "—"


def render(page, *, workspace, authors, source_url, base_url, user, taken_at=None):
    """(PDF bytes, plain text) of a snapshot of `page` (a WikiPage or a MeetingPage).

    `authors` are the names shown as the page's authors; `user` is who takes the snapshot
    ([[wiki links]] are resolved as they see them).
    """
    from reportlab.lib.pagesizes import letter
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from wiki import wikilinks
    from wiki.models import MeetingPage

    taken_at = taken_at or timezone.now()
    with override(page.locale.language_code):
        builder = _Builder(base_url)
        builder.plain(page.title, "title")
        facts = [
            (_("Workspace"), workspace.title if workspace else "—"),
            (_("Source"), source_url),
            (_("Last published"), _when(page.last_published_at)),
            (_("Snapshot taken"), _when(taken_at)),
            (_("Authors"), ", ".join(authors) or "—"),
        ]
        for label, value in facts:
            builder.plain(f"{label}: {value}", "meta")
        builder.story.append(Spacer(1, 10))

        def links(html):
            return str(wikilinks.render_links(html, page, user))

        if isinstance(page, MeetingPage):
            when = _when(page.start)
            if page.end:
                when += " – " + formats.time_format(timezone.localtime(page.end), "TIME_FORMAT")
            builder.plain(f"{_('When')}: {when}")
            builder.plain(f"{_('Mode')}: {page.get_mode_display()}")
            if page.location:
                builder.plain(f"{_('Place or link')}: {page.location}")
            if page.agenda:
                builder.heading(_("Agenda"))
                builder.rich_text(page.agenda)
            attendees = list(page.attendees.select_related("user"))
            if attendees:
                builder.heading(_("Attendees and attendance"))
                builder.table(
                    [[_("Person"), _("Attendance")]]
                    + [
                        [a.user.get_full_name() or a.user.get_username(), a.get_attendance_display()]
                        for a in attendees
                    ]
                )
            if page.minutes:
                builder.heading(_("Minutes"))
                builder.stream(page.minutes, links)
            if page.decisions:
                builder.heading(_("Decisions"))
                builder.rich_text(page.decisions)
            items = list(page.action_items.select_related("owner"))
            if items:
                builder.heading(_("Action items"))
                builder.table(
                    [[_("Action"), _("Owner"), _("Due date"), _("Status")]]
                    + [
                        [
                            item.description,
                            (item.owner.get_full_name() or item.owner.get_username()) if item.owner else "—",
                            date_format(item.due_date) if item.due_date else "—",
                            item.get_status_display(),
                        ]
                        for item in items
                    ]
                )
        else:
            builder.stream(page.body, links)
            tags = [tag.name for tag in page.tags.all()]
            if tags:
                builder.plain(f"{_('Tags:')} {', '.join(tags)}", "meta")

        output = io.BytesIO()
        document = SimpleDocTemplate(
            output,
            pagesize=letter,
            title=page.title,
            author=", ".join(authors),
            subject=_("Snapshot of %(title)s") % {"title": page.title},
            creator=str(_("CoP platform")),
            leftMargin=60,
            rightMargin=60,
            topMargin=60,
            bottomMargin=50,
        )
        footer = _footer(page.title)
        document.build(builder.story, onFirstPage=footer, onLaterPages=footer)
    return output.getvalue(), "\n".join(builder.text)
