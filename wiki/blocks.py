"""The one body StreamBlock shared by every page type that carries free content."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_FEATURES = [
    "h2",
    "h3",
    "h4",
    "bold",
    "italic",
    "ol",
    "ul",
    "link",
    "document-link",
    "blockquote",
]


class CalloutBlock(blocks.StructBlock):
    """A highlighted note, warning or decision inside a page body."""

    kind = blocks.ChoiceBlock(
        choices=[("note", _("Note")), ("warning", _("Warning")), ("decision", _("Decision"))],
        default="note",
        label=_("Kind"),
    )
    text = blocks.RichTextBlock(features=RICH_FEATURES, label=_("Text"))

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "wiki/blocks/callout.html"


class FigureBlock(blocks.StructBlock):
    """An image with the alternative text and caption that accessibility requires."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(required=False, label=_("Caption"))

    class Meta:
        icon = "image"
        label = _("Image")
        template = "wiki/blocks/figure.html"


class DocumentBlock(blocks.StructBlock):
    """A link to a document of the workspace, served through the checked document view."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(required=False, label=_("Link text"))

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "wiki/blocks/document.html"


class BodyStreamBlock(blocks.StreamBlock):
    """Body content of wiki pages, meetings, workspaces and deliverables."""

    heading = blocks.CharBlock(
        form_classname="title", icon="title", label=_("Heading"), template="wiki/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(features=RICH_FEATURES, icon="pilcrow", label=_("Paragraph"))
    callout = CalloutBlock()
    image = FigureBlock()
    document = DocumentBlock()
    quote = blocks.BlockQuoteBlock(icon="openquote", label=_("Quote"))

    class Meta:
        use_json_field = True
