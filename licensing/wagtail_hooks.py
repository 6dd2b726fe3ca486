from wagtail.snippets.models import register_snippet

from .models import Agreement, PartnerOrganisation

register_snippet(PartnerOrganisation)
register_snippet(Agreement)
