"""Scores the ranking of the search engine against judged queries: MRR and nDCG@5.

A judgement file is a JSON list of {"query", "language", "relevant": {title: grade}} where a
grade of 2 is the answer a reader expects first and 1 is a useful answer. Queries run as an
administrator (who may view everything) in the judged language only.
"""

import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from . import analysis, engine

DEFAULT_FILE = Path(settings.BASE_DIR) / "tests" / "search" / "judgements.json"


@dataclass
class Score:
    query: str
    language: str
    reciprocal_rank: float
    ndcg5: float
    top: list


def load(path=DEFAULT_FILE):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _dcg(gains):
    return sum(gain / math.log2(position + 2) for position, gain in enumerate(gains))


def score_one(user, judgement, depth=10):
    language = judgement["language"]
    relevant = judgement["relevant"]
    query = analysis.parse(judgement["query"], (language,))
    results = engine.search(user, query, (language,), limit=depth, facets=False)
    titles = [hit.title for hit in results.hits]
    reciprocal = next((1 / (i + 1) for i, t in enumerate(titles) if t in relevant), 0.0)
    ideal = _dcg(sorted(relevant.values(), reverse=True)[:5])
    ndcg = _dcg([relevant.get(t, 0) for t in titles[:5]]) / ideal if ideal else 0.0
    return Score(judgement["query"], language, reciprocal, ndcg, titles[:5])


def evaluate(user, judgements):
    scores = [score_one(user, j) for j in judgements]
    count = len(scores) or 1
    mrr = sum(s.reciprocal_rank for s in scores) / count
    ndcg = sum(s.ndcg5 for s in scores) / count
    return mrr, ndcg, scores
