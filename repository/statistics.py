"""COUNTER-style usage statistics: views and downloads per deliverable and month.

A repeat of the same action on the same deliverable by the same person within 30 seconds
counts once ("double-click" rule); requests from known robots are not counted at all.
"""

import csv
import datetime
import hashlib
import re

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from .models import MonthlyStatistic

DOUBLE_CLICK_SECONDS = 30

# The most frequent patterns of the COUNTER robots list (github.com/atmire/COUNTER-Robots).
ROBOTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|curl|wget|python-requests|python-urllib|httpclient|"
    r"libwww|java/|go-http-client|okhttp|scrapy|headless|phantomjs|facebookexternalhit|"
    r"sickle|oai-harvester|feedfetcher|mediapartners|lighthouse|pingdom|uptime|monitor|"
    r"^$",
    re.IGNORECASE,
)


def is_robot(request):
    return bool(ROBOTS.search(request.headers.get("User-Agent", "").strip()))


def _visitor(request):
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    address = request.META.get("REMOTE_ADDR", "")
    return "a" + address + "|" + request.headers.get("User-Agent", "")


def record(request, page, kind):
    """Count one view or download of `page`; return whether it was counted."""
    if is_robot(request):
        return False
    fingerprint = hashlib.sha256(f"{kind}|{page.translation_key}|{_visitor(request)}".encode()).hexdigest()
    if not cache.add(f"repository-hit:{fingerprint}", 1, DOUBLE_CLICK_SECONDS):
        return False
    month = MonthlyStatistic.this_month()
    field = {"view": "views", "download": "downloads"}[kind]
    rows = MonthlyStatistic.objects.filter(translation_key=page.translation_key, month=month)
    if not rows.update(**{field: F(field) + 1}):
        try:
            with transaction.atomic():
                MonthlyStatistic.objects.create(
                    translation_key=page.translation_key, month=month, **{field: 1}
                )
        except IntegrityError:
            rows.update(**{field: F(field) + 1})
    return True


def record_view(request, page):
    return record(request, page, "view")


def record_download(request, page):
    return record(request, page, "download")


def _months(count):
    month = timezone.localdate().replace(day=1)
    months = []
    for _index in range(count):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def monthly_series(page, count=12):
    """The last `count` months of views and downloads of `page`, with bar heights for a chart."""
    months = _months(count)
    rows = {
        row.month: row
        for row in MonthlyStatistic.objects.filter(translation_key=page.translation_key, month__gte=months[0])
    }
    series = [
        {
            "month": month,
            "views": rows[month].views if month in rows else 0,
            "downloads": rows[month].downloads if month in rows else 0,
        }
        for month in months
    ]
    highest = max([1, *(max(s["views"], s["downloads"]) for s in series)])
    for number, item in enumerate(series):
        item["x"] = 40 + number * 50
        item["view_height"] = round(120 * item["views"] / highest)
        item["download_height"] = round(120 * item["downloads"] / highest)
        item["view_y"] = 140 - item["view_height"]
        item["download_y"] = 140 - item["download_height"]
    return {
        "months": series,
        "highest": highest,
        "total_views": sum(s["views"] for s in series),
        "total_downloads": sum(s["downloads"] for s in series),
    }


def totals(translation_keys):
    """{translation_key: (views, downloads)} over all time."""
    rows = (
        MonthlyStatistic.objects.filter(translation_key__in=translation_keys)
        .values("translation_key")
        .annotate(views=Sum("views"), downloads=Sum("downloads"))
    )
    return {row["translation_key"]: (row["views"], row["downloads"]) for row in rows}


def safe_cell(value):
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r|%":
        return "'" + text
    return text


def write_csv(output, header, rows):
    writer = csv.writer(output)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
