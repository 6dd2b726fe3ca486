"""The per-process memory in front of the shared cache (perf.cache_backends.LayeredCache): what
one process writes the others read, and a process reads an entry from the shared cache once."""

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import SimpleTestCase, override_settings

from perf.cache_backends import LayeredCache

SHARED = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cop-test-shared"}


def process_layer(name):
    """The layer of one app process: two processes have two memories, named apart here."""
    layer = LayeredCache("", {"OPTIONS": {"SHARED": "shared"}})
    layer._local = LocMemCache(f"cop-test-layer-{name}", {"TIMEOUT": 300})
    layer._local.clear()
    return layer


@override_settings(CACHES={"default": SHARED, "shared": SHARED})
class LayeredCacheTests(SimpleTestCase):
    def setUp(self):
        caches["shared"].clear()
        self.first = process_layer("first")
        self.second = process_layer("second")

    def test_an_entry_written_by_one_process_is_read_by_another(self):
        self.first.set("cop-fragment:menu:7", "menu", 300)
        self.assertEqual(self.second.get("cop-fragment:menu:7"), "menu")

    def test_a_process_reads_an_entry_from_the_shared_cache_only_once(self):
        self.first.set("cop-fragment:menu:7", "menu", 300)
        self.assertEqual(self.second.get("cop-fragment:menu:7"), "menu")
        caches["shared"].clear()
        self.assertEqual(self.second.get("cop-fragment:menu:7"), "menu")

    def test_a_missing_entry_gives_the_default(self):
        self.assertIsNone(self.first.get("cop-fragment:absent"))
        self.assertEqual(self.first.get("cop-fragment:absent", "none"), "none")

    def test_a_deleted_entry_is_gone_from_the_shared_cache_and_the_process(self):
        self.first.set("cop-reader:1", {"groups": []}, 300)
        self.first.delete("cop-reader:1")
        self.assertIsNone(self.first.get("cop-reader:1"))
        self.assertIsNone(caches["shared"].get("cop-reader:1"))

    def test_a_value_read_back_is_a_copy_the_reader_may_change(self):
        self.first.set("cop-reader:1", {"groups": [1]}, 300)
        self.first.get("cop-reader:1")["groups"].append(2)
        self.assertEqual(self.first.get("cop-reader:1"), {"groups": [1]})
