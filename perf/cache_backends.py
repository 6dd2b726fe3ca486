"""A per-process memory in front of the shared cache, for entries that never change under their key.

The parts of pages kept under the content generation (`wiki.fragments`, `perf.readers`) are
written once per key: a publish, a move or an access change starts a new generation, hence new
keys. Such an entry read once from the shared cache (Redis) can be kept by the process itself:
a signed-in page reads about ten of them, and on PostgreSQL with Redis those ten round trips
cost 3 ms of a 14 ms request (`bench/profile_view.py`). Every write still goes to the shared
cache first, so the other processes and servers see it.

Only for keys that embed the generation (settings.FRAGMENT_CACHE_ALIAS); never for the page
cache, sessions or Wagtail's own keys, which are deleted or overwritten in place.
"""

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache

_MISSING = object()


class LayeredCache(BaseCache):
    """OPTIONS: SHARED (the alias of the shared cache), MAX_ENTRIES (of the process's memory)."""

    def __init__(self, location, params):
        options = dict(params.get("OPTIONS") or {})
        self._shared_alias = options.pop("SHARED", "default")
        super().__init__({**params, "OPTIONS": options})
        self._local = LocMemCache(
            # One memory per process (LocMemCache shares it by name between threads).
            f"cop-layer-{self._shared_alias}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "OPTIONS": {"MAX_ENTRIES": options.get("MAX_ENTRIES", 5000)},
            },
        )

    @property
    def _shared(self):
        return caches[self._shared_alias]

    def get(self, key, default=None, version=None):
        value = self._local.get(key, _MISSING, version=version)
        if value is _MISSING:
            value = self._shared.get(key, _MISSING, version=version)
            if value is _MISSING:
                return default
            self._local.set(key, value, version=version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._shared.set(key, value, timeout, version=version)
        self._local.set(key, value, timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        added = self._shared.add(key, value, timeout, version=version)
        if added:
            self._local.set(key, value, timeout, version=version)
        return added

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        self._local.touch(key, timeout, version=version)
        return self._shared.touch(key, timeout, version=version)

    def delete(self, key, version=None):
        self._local.delete(key, version=version)
        return self._shared.delete(key, version=version)

    def has_key(self, key, version=None):
        return self._local.has_key(key, version=version) or self._shared.has_key(key, version=version)

    def clear(self):
        self._local.clear()
        self._shared.clear()
