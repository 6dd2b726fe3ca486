"""The stemmer gives the same stems when many threads search at once (gunicorn threads, the
live test server): a Snowball stemmer shared between threads used to fail mid-word."""

from concurrent.futures import ThreadPoolExecutor

from search.analysis import analyse

TEXT = "Les pratiques collaboratives en santé mentale et en dépendance des communautés " * 40


def test_many_threads_stem_the_same_text_alike():
    expected = analyse(TEXT, "fr")
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: analyse(TEXT, "fr"), range(400)))
    assert all(result == expected for result in results)
