"""Local development: debug on, everything embedded."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Developers see their changes at once (set PAGE_CACHE_LOCAL=True to try the page cache).
PAGE_CACHE_LOCAL = env.bool("PAGE_CACHE_LOCAL", default=False)
