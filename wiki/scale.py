"""Scale data for the wiki: users, workspaces, wiki pages, meetings and memberships, in bulk.

Used by `manage.py generate_scale_data` (in `repository`, which may import every app) to build
an institution-sized, bilingual dataset in minutes. Wagtail's `add_child` costs a dozen
queries per page; here pages are written with a few multi-row INSERTs instead, with their
tree paths, revisions and reference-index rows computed in Python, and the access rule is then
materialised by the one `access.sync_workspace`, exactly as for pages made in the admin.

`BulkPages` is reused by the other apps' scale steps for their own page types.
"""

import datetime
import random
import uuid

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Max
from django.utils import timezone
from modelcluster.models import (
    get_all_child_m2m_relations,
    get_all_child_relations,
    get_serializable_data_for_fields,
)
from wagtail.models import Page, ReferenceIndex, Revision

from . import access
from .models import HomePage, MeetingPage, Membership, WikiPage, WorkspaceIndexPage, WorkspacePage

# Vocabulary for believable text in both languages (same meaning, same order).
TOPICS = [
    ("santé mentale jeunesse", "youth mental health"),
    ("soins à domicile", "home care"),
    ("dépendances", "addictions"),
    ("périnatalité", "perinatal care"),
    ("soins palliatifs", "palliative care"),
    ("proches aidants", "caregivers"),
    ("première ligne", "primary care"),
    ("protection de la jeunesse", "youth protection"),
    ("santé autochtone", "Indigenous health"),
    ("réadaptation", "rehabilitation"),
    ("itinérance", "homelessness"),
    ("maladies chroniques", "chronic diseases"),
    ("vieillissement", "ageing"),
    ("santé publique", "public health"),
    ("services sociaux", "social services"),
]
KINDS = [
    ("Guide de pratique", "Practice guide"),
    ("Compte rendu", "Summary"),
    ("Procédure", "Procedure"),
    ("Foire aux questions", "Frequently asked questions"),
    ("Plan d'action", "Action plan"),
    ("Trousse d'outils", "Toolkit"),
    ("Bilan", "Review"),
    ("Cadre de référence", "Reference framework"),
]
SENTENCES = [
    (
        "Les intervenants de {topic} partagent ici leurs pratiques exemplaires et les obstacles "
        "rencontrés sur le terrain.",
        "Practitioners in {topic} share their best practices and the obstacles met in the field.",
    ),
    (
        "Cette page résume les décisions prises lors des rencontres et les prochaines étapes "
        "convenues avec les partenaires du réseau.",
        "This page sums up the decisions made at the meetings and the next steps agreed with the "
        "network's partners.",
    ),
    (
        "Les patients partenaires ont contribué à la rédaction afin que le contenu réponde aux "
        "besoins réels des usagers et de leurs proches.",
        "Patient partners helped write it so that the content meets the real needs of service "
        "users and their families.",
    ),
    (
        "Les établissements participants adaptent ces recommandations à leur territoire, à leurs "
        "ressources et à leur population.",
        "Participating institutions adapt these recommendations to their territory, their "
        "resources and their population.",
    ),
    (
        "Un indicateur de suivi permet de mesurer l'effet des changements sur l'accès aux "
        "services et sur la satisfaction des équipes.",
        "A follow-up indicator measures the effect of the changes on access to services and on "
        "the teams' satisfaction.",
    ),
    (
        "La mobilisation des connaissances repose sur des échanges réguliers entre chercheurs, "
        "gestionnaires et cliniciens.",
        "Knowledge mobilisation relies on regular exchanges between researchers, managers and clinicians.",
    ),
]
FIRST_NAMES = ["Marie", "Jean", "Chantal", "Luc", "Nathalie", "Pierre", "Karine", "Éric", "Josée", "Amir"]
LAST_NAMES = [
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Diallo",
]


def sentence_pair(rng, topic):
    fr, en = rng.choice(SENTENCES)
    return fr.format(topic=topic[0]), en.format(topic=topic[1])


def paragraphs(rng, topic, count, links=()):
    """A French and an English body of `count` paragraphs; `links` are (page id fr, id en, text)."""
    fr_blocks, en_blocks = [], []
    for number in range(count):
        pair = [sentence_pair(rng, topic) for _ in range(4)]
        fr_text = " ".join(p[0] for p in pair)
        en_text = " ".join(p[1] for p in pair)
        if number < len(links):
            # Both kinds of link an editor writes: a rich-text page link and a `[[Title]]`.
            fr_id, en_id, fr_label, en_label = links[number]
            fr_text += f' Voir aussi <a linktype="page" id="{fr_id}">{fr_label}</a> et [[{fr_label}]].'
            en_text += f' See also <a linktype="page" id="{en_id}">{en_label}</a> and [[{en_label}]].'
        block_id = str(uuid.uuid4())
        fr_blocks.append({"type": "paragraph", "value": f"<p>{fr_text}</p>", "id": block_id})
        en_blocks.append({"type": "paragraph", "value": f"<p>{en_text}</p>", "id": block_id})
    return fr_blocks, en_blocks


class BulkPages:
    """Collects new pages in memory, then writes them (and their revisions) in bulk.

    Ids of pages and revisions are assigned here so that the tree paths, translation links,
    revision pointers and links between pages can all be computed before anything is written.
    """

    def __init__(self, user=None):
        self.user = user
        self.next_page_id = (Page.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.next_revision_id = (Revision.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.children = {}  # parent id -> number of children so far
        self.pages = []
        self.queued_ids = set()
        self.links = []
        self.now = timezone.now()

    def reserve_id(self):
        page_id = self.next_page_id
        self.next_page_id += 1
        return page_id

    def link(self, source, target, text):
        """Record a `[[text]]` link from `source` to `target` (both queued here)."""
        self.links.append((source.pk, target.pk, text))

    def add(self, parent, model, *, page_id=None, when=None, **fields):
        """Queue a live page of `model` under `parent` (a saved page or one queued here)."""
        if parent.pk not in self.children and parent.pk in self.queued_ids:
            self.children[parent.pk] = 0
        if parent.pk not in self.children:
            last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path")
            last_path = last.values_list("path", flat=True).first()
            self.children[parent.pk] = Page._str2int(last_path[-Page.steplen :]) if last_path else 0
        self.children[parent.pk] += 1
        when = when or self.now
        page = model(
            id=page_id or self.reserve_id(),
            path=Page._get_path(parent.path, parent.depth + 1, self.children[parent.pk]),
            depth=parent.depth + 1,
            numchild=0,
            live=True,
            has_unpublished_changes=False,
            first_published_at=when,
            last_published_at=when,
            latest_revision_created_at=when,
            url_path=f"{parent.url_path}{fields['slug']}/",
            draft_title=fields["title"],
            owner=self.user,
            content_type=ContentType.objects.get_for_model(model),
            **fields,
        )
        # For a subclass of Page the primary key is the parent link, which Django only fills
        # from `id` on save().
        setattr(page, model._meta.pk.attname, page.id)
        page.latest_revision_id = page.live_revision_id = self.next_revision_id
        self.next_revision_id += 1
        self.pages.append(page)
        self.queued_ids.add(page.pk)
        return page

    def write(self, batch_size=500):
        """Insert the queued pages, their specific rows, revisions and references."""
        pages = self.pages
        if not pages:
            return []
        page_ct = ContentType.objects.get_for_model(Page)
        base_fields = Page._meta.local_concrete_fields
        for start in range(0, len(pages), batch_size):
            Page.objects._insert(pages[start : start + batch_size], fields=base_fields)
        by_model = {}
        for page in pages:
            by_model.setdefault(type(page), []).append(page)
        for model, group in by_model.items():
            fields = list(model._meta.local_concrete_fields)
            for start in range(0, len(group), batch_size):
                model.objects._insert(group[start : start + batch_size], fields=fields)
        revisions = [
            Revision(
                id=page.latest_revision_id,
                content_type_id=page.content_type_id,
                base_content_type=page_ct,
                object_id=str(page.pk),
                created_at=page.latest_revision_created_at,
                user=self.user,
                object_str=page.title,
                content=_revision_content(page),
            )
            for page in pages
        ]
        Revision.objects.bulk_create(revisions, batch_size=batch_size)
        references = []
        for page in pages:
            for to_ct, to_id, model_path, content_path in ReferenceIndex._extract_references_from_object(
                page
            ):
                references.append(
                    ReferenceIndex(
                        content_type_id=page.content_type_id,
                        base_content_type=page_ct,
                        object_id=str(page.pk),
                        to_content_type_id=to_ct,
                        to_object_id=to_id,
                        model_path=model_path,
                        content_path=content_path,
                        content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                    )
                )
        ReferenceIndex.objects.bulk_create(references, batch_size=batch_size, ignore_conflicts=True)
        WikiLink = _wiki_link_model()
        if WikiLink is not None and self.links:
            WikiLink.objects.bulk_create(
                [WikiLink(source_id=s, target_id=t, text=text[:255]) for s, t, text in self.links],
                batch_size=batch_size,
            )
        self.links = []
        # Parents' child counts, computed from the tree itself (also right for parents that
        # already had children).
        parent_paths = {page.path[: -Page.steplen] for page in pages}
        for parent_path in parent_paths:
            depth = len(parent_path) // Page.steplen
            Page.objects.filter(path=parent_path).update(
                numchild=Page.objects.filter(path__startswith=parent_path, depth=depth + 1).count()
            )
        self.pages = []
        self.children = {}
        # Pages and revisions were given their ids here: on PostgreSQL the sequences must move
        # past them, or the next page created the usual way gets a duplicate id.
        reset_sequences(Page, Revision)
        self.queued_ids = set()
        return pages


def _revision_content(page):
    """What `page.serializable_data()` returns for a new page, without its query per child
    relation (a new page has no children: no tags, comments or files yet)."""
    data = get_serializable_data_for_fields(page)
    for rel in get_all_child_relations(page):
        data[rel.get_accessor_name()] = []
    for field in get_all_child_m2m_relations(page):
        if field.serialize:
            data[field.name] = []
    return data


def _wiki_link_model():
    # Recorded `[[...]]` links ("pages that link here"), when this version of the wiki has them.
    try:
        return apps.get_model("wiki", "WikiLink")
    except LookupError:
        return None


def reset_sequences(*models):
    """PostgreSQL sequences must move past the ids assigned by hand."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


def create_users(count, rng, password):
    """`count` people named scale-00001..., all with the same (hashed once) password."""
    User = get_user_model()
    hashed = make_password(password)
    existing = set(User.objects.filter(username__startswith="scale-").values_list("username", flat=True))
    users = []
    for number in range(1, count + 1):
        username = f"scale-{number:05d}"
        if username in existing:
            continue
        users.append(
            User(
                username=username,
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                email=f"{username}@example.org",
                password=hashed,
            )
        )
    User.objects.bulk_create(users, batch_size=500)
    return list(User.objects.filter(username__startswith="scale-").order_by("username")[:count])


def generate(context):
    """The wiki's part: people, workspaces with pages and meetings, and memberships."""
    options = context["options"]
    rng = context["rng"]
    fr, en = context["locales"]
    admin = context.get("admin")
    home_fr = HomePage.objects.filter(locale=fr).first()
    index_fr = WorkspaceIndexPage.objects.filter(locale=fr).first()
    index_en = index_fr.get_translation_or_none(en) if index_fr else None
    if home_fr is None or index_fr is None or index_en is None:
        raise RuntimeError("The site tree is missing: run `manage.py load_demo` first.")

    users = create_users(options["users"], rng, context["password"])
    context["scale_users"] = users

    run = uuid.uuid4().hex[:6]
    bulk = BulkPages(user=admin)
    workspaces = []
    for number in range(options["workspaces"]):
        topic = TOPICS[number % len(TOPICS)]
        key = uuid.uuid4()
        label = f"{number + 1:03d}-{run}"
        fr_body, en_body = paragraphs(rng, topic, 2)
        common = {"translation_key": key, "kind": WorkspacePage.Kind.COP, "acronym": f"CdP {label}"}
        ws_fr = bulk.add(
            index_fr,
            WorkspacePage,
            title=f"CdP {label} — {topic[0].capitalize()}",
            slug=f"cdp-{label}",
            locale=fr,
            purpose=sentence_pair(rng, topic)[0],
            body=fr_body,
            **common,
        )
        ws_en = bulk.add(
            index_en,
            WorkspacePage,
            title=f"CoP {label} — {topic[1].capitalize()}",
            slug=f"cop-{label}",
            locale=en,
            purpose=sentence_pair(rng, topic)[1],
            body=en_body,
            **common,
        )
        workspaces.append((ws_fr, ws_en, topic))

    # Wiki pages spread over the workspaces; about a third nest under a sibling; most link to
    # an earlier page of the same workspace, which the reference index records as a backlink.
    per_workspace = {}
    for number in range(options["pages"]):
        ws_fr, ws_en, topic = workspaces[number % len(workspaces)] if workspaces else (None, None, None)
        if ws_fr is None:
            break
        siblings = per_workspace.setdefault(ws_fr.pk, [])
        parent_fr, parent_en = ws_fr, ws_en
        if siblings and rng.random() < 0.3:
            parent_fr, parent_en = rng.choice(siblings[:20])
        kind = rng.choice(KINDS)
        links = []
        if siblings:
            target_fr, target_en = rng.choice(siblings)
            links.append((target_fr.pk, target_en.pk, target_fr.title, target_en.title))
        fr_body, en_body = paragraphs(rng, topic, rng.randint(3, 8), links)
        key = uuid.uuid4()
        fr_id, en_id = bulk.reserve_id(), bulk.reserve_id()
        when = bulk.now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 365))
        page_fr = bulk.add(
            parent_fr,
            WikiPage,
            page_id=fr_id,
            when=when,
            title=f"{kind[0]} {number + 1} — {topic[0]}",
            slug=f"page-{number + 1}-{run}",
            locale=fr,
            translation_key=key,
            body=fr_body,
        )
        page_en = bulk.add(
            parent_en,
            WikiPage,
            page_id=en_id,
            when=when,
            title=f"{kind[1]} {number + 1} — {topic[1]}",
            slug=f"page-{number + 1}-{run}",
            locale=en,
            translation_key=key,
            body=en_body,
        )
        if links:
            bulk.link(page_fr, target_fr, target_fr.title)
            bulk.link(page_en, target_en, target_en.title)
        siblings.append((page_fr, page_en))

    # Two meetings per workspace: one past (with minutes), one to come.
    for ws_fr, ws_en, topic in workspaces:
        for offset in (-30, 14):
            key = uuid.uuid4()
            start = bulk.now + datetime.timedelta(days=offset + rng.randint(0, 6))
            start = start.replace(minute=0, second=0, microsecond=0)
            fr_minutes, en_minutes = paragraphs(rng, topic, 2) if offset < 0 else ([], [])
            slug = f"rencontre-{start:%Y-%m-%d}"
            for parent, locale, title, minutes in (
                (ws_fr, fr, f"Rencontre du {start:%Y-%m-%d}", fr_minutes),
                (ws_en, en, f"Meeting of {start:%Y-%m-%d}", en_minutes),
            ):
                bulk.add(
                    parent,
                    MeetingPage,
                    title=title,
                    slug=slug,
                    locale=locale,
                    translation_key=key,
                    start=start,
                    location="Teams",
                    minutes=minutes,
                )
    pages = bulk.write()
    context.setdefault("scale_pages", []).extend(pages)

    # Memberships: everyone belongs to one to three workspaces; the first member of each
    # workspace coordinates it.
    memberships = []
    coordinated = set()
    today = timezone.localdate()
    for user in users:
        for ws_fr, _ws_en, _topic in rng.sample(workspaces, min(len(workspaces), rng.randint(1, 3))):
            role = Membership.Role.PARTICIPANT
            if ws_fr.translation_key not in coordinated:
                coordinated.add(ws_fr.translation_key)
                role = Membership.Role.COORDINATOR
            memberships.append(
                Membership(
                    user=user,
                    workspace_key=ws_fr.translation_key,
                    role=role,
                    joined=today - datetime.timedelta(days=rng.randint(1, 700)),
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=500)
    reset_sequences(Page, Revision)
    for ws_fr, _ws_en, _topic in workspaces:
        access.sync_workspace(ws_fr.translation_key)
    context["scale_workspaces"] = workspaces


def make_rng(seed):
    # Repeatable fake data, not secrets.
    return random.Random(seed)  # noqa: S311
