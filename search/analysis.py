"""Text analysis shared by indexing and querying: the same steps on both sides.

Text is lower-cased, accents are folded ("santé" → "sante"), stop words are dropped and each
word is reduced to its Snowball stem in the language of the content ("pratiques" → "pratiqu").
SQLite's FTS5 (which has no stemmer) indexes these stems. PostgreSQL analyses the text itself
with the same steps (its `cop_french` / `cop_english` configurations: unaccent, then the same
Snowball stemmers and stop words, migration 0004), so it receives the folded words of the
query (`Query.words`) rather than these stems. Snippets are highlighted with these stems on
both databases.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass, field

import snowballstemmer

LANGUAGES = ("fr", "en")
# Bounds that keep every query cheap whatever is typed.
MAX_QUERY_CHARS = 500
MAX_TERMS = 12
MAX_TERM_CHARS = 40

WORD_RE = re.compile(r"\w+", re.UNICODE)
PHRASE_RE = re.compile(r'"([^"]*)"')

_FRENCH_STOP_WORDS = """
a ai as au aux avec avez avoir avons c ca car ce ceci cela ces cet cette chez d dans de des donc
dont du elle en entre est et etait ete etre eux il ils j je l la le les leur leurs lui m ma mais
me meme mes moi mon n ne ni nos notre nous on ont or ou par pas plus pour qu que qui s sa sans se
ses son sont sous sur t ta te tes toi ton tous tout toute toutes tres tu un une vers vos votre
vous y
"""
_ENGLISH_STOP_WORDS = """
a about an and are as at be been but by can could did do does for from has have he her his i if
in into is it its no not of on or our over she should so than that the their them then there
these they this those to under was we were what when where which who will with would you your
"""
STOP_WORDS = {"fr": frozenset(_FRENCH_STOP_WORDS.split()), "en": frozenset(_ENGLISH_STOP_WORDS.split())}
_STEMMER_NAMES = {"fr": "french", "en": "english"}


# Snowball stemmers keep state between calls, so one shared by two threads (gunicorn threads,
# the live test server) can fail mid-word: each thread gets its own.
_local = threading.local()


def _stemmer(language):
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(_STEMMER_NAMES[language])
    return stemmers[language]


def fold(text):
    """Lower-case and strip accents: "Santé" → "sante"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text):
    """The folded words of `text`, in order (stop words included)."""
    return [w for w in WORD_RE.findall(fold(text)) if len(w) <= MAX_TERM_CHARS]


def stem(word, language):
    """The stem of one folded word in `language`."""
    return _stemmer(language if language in _STEMMER_NAMES else "fr").stemWord(word)


def analyse(text, language):
    """Index form of `text`: its stems without stop words, separated by spaces."""
    stop = STOP_WORDS.get(language, STOP_WORDS["fr"])
    return " ".join(stem(w, language) for w in words(text or "") if w not in stop)


@dataclass
class Query:
    """A parsed query: clauses that must all match.

    Each clause is a list of alternatives `(tokens, prefix)`: `tokens` is a tuple of stems that
    must appear in that order (one stem for a word, several for a quoted phrase), one
    alternative per language searched; `prefix` says the last token may be the start of a word.
    """

    text: str
    languages: tuple
    clauses: list = field(default_factory=list)
    highlight: set = field(default_factory=set)
    # The same clauses before stemming, `(folded words, prefix)`, for a database that stems
    # with its own dictionaries (PostgreSQL's `cop_french` and `cop_english`).
    words: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.clauses)


def parse(text, languages, prefix=False):
    """Turn what a reader typed into a `Query`; operators and punctuation are plain text.

    Quoted parts are phrases; everything else is a set of words that must all appear. With
    `prefix`, the last word also matches longer words (for suggestions while typing).
    """
    languages = tuple(languages)
    text = (text or "")[:MAX_QUERY_CHARS]
    query = Query(text=text, languages=languages)
    stops = set().union(*(STOP_WORDS[lang] for lang in languages))
    budget = MAX_TERMS
    for phrase in PHRASE_RE.findall(text):
        ws = [w for w in words(phrase) if w not in stops][:budget]
        if not ws:
            continue
        budget -= len(ws)
        alternatives = {(tuple(stem(w, lang) for w in ws), False) for lang in languages}
        query.clauses.append(sorted(alternatives))
        query.words.append((tuple(ws), False))
        query.highlight.update(t for tokens, _ in alternatives for t in tokens)
    rest_words = words(PHRASE_RE.sub(" ", text))
    for position, word in enumerate(rest_words):
        if budget <= 0:
            break
        is_last = position == len(rest_words) - 1
        if prefix and is_last:
            # The word may be incomplete: match words starting with what was typed or its stem.
            forms = {word, *(stem(word, lang) for lang in languages)}
            query.clauses.append(sorted(((f,), True) for f in forms))
            query.words.append(((word,), True))
            query.highlight.update(f"{f}*" for f in forms)
        elif word not in stops:
            forms = {stem(word, lang) for lang in languages}
            query.clauses.append(sorted(((f,), False) for f in forms))
            query.words.append(((word,), False))
            query.highlight.update(forms)
        else:
            continue
        budget -= 1
    return query


def highlight_stems(text, stems, languages):
    """Character spans of the words of `text` whose stem (in any of `languages`) is in `stems`."""
    spans = []
    prefixes = tuple(s[:-1] for s in stems if s.endswith("*"))
    exact = {s for s in stems if not s.endswith("*")}
    for match in WORD_RE.finditer(text):
        word = fold(match.group())
        if any(stem(word, lang) in exact for lang in languages) or (prefixes and word.startswith(prefixes)):
            spans.append(match.span())
    return spans
