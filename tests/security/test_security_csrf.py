"""CSRF on every state-changing form, with the list of views read from the URL conf.

Two checks, so that a view added later cannot escape:

- no view of any URL pattern (the site's and Wagtail's admin) is exempt from the CSRF check,
  except the few declared below with the reason they need no token;
- every URL of the access matrix (one concrete address per non-admin pattern) and a sample
  address for every admin pattern refuses a POST without token, even from an administrator
  (the strongest account, for whom nothing else would refuse), with the CSRF failure itself,
  not some other refusal. Django REST framework views (Wagtail's admin API) are exempt from the
  middleware but check the token themselves: their "CSRF Failed" answer is required instead.
"""

from django.http import HttpResponseForbidden
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from test_security_url_matrix import ADMIN_PREFIX, MatrixFixture, admin_sample_path, all_patterns, cells

# Views that take POST without a token, and why that is safe.
CSRF_EXEMPT_ALLOWED = {
    # OAI-PMH harvesters may send their (read-only) requests as POST; nothing is changed.
    "oai": "read-only protocol endpoint",
    # Mail programs' RFC 8058 one-click unsubscribe has no token; the signed link can only turn
    # email off for its own recipient.
    "notifications:unsubscribe": "signed one-click unsubscribe",
}
MARKER = b"csrf-refused-by-middleware"


def is_rest_framework_view(callback):
    """Django REST framework views (Wagtail's admin API, wagtail-localize's editor API) are
    exempt from the middleware because DRF's SessionAuthentication checks the token itself."""
    from rest_framework.views import APIView

    view_class = getattr(callback, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


def refused_for_csrf(response):
    """The middleware's refusal (MARKER), or REST framework's own "CSRF Failed" answer."""
    if response.status_code != 403:
        return False
    return response.content == MARKER or b"CSRF Failed" in response.content


def csrf_refused(request, reason=""):
    return HttpResponseForbidden(MARKER)


def exempt_views(patterns, namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from exempt_views(entry.url_patterns, full_ns)
        elif (
            isinstance(entry, URLPattern)
            and getattr(entry.callback, "csrf_exempt", False)
            and not is_rest_framework_view(entry.callback)
        ):
            name = entry.name or str(entry.pattern)
            yield f"{namespace}:{name}" if namespace and entry.name else name


class CsrfExemptionTests(TestCase):
    def test_no_view_skips_the_csrf_check_except_the_declared_ones(self):
        exempt = sorted(set(exempt_views(get_resolver().url_patterns)))
        self.assertEqual(exempt, sorted(CSRF_EXEMPT_ALLOWED))


@override_settings(CSRF_FAILURE_VIEW="test_security_csrf.csrf_refused")
class CsrfEveryFormTests(MatrixFixture, TestCase):
    def setUp(self):
        self.client = Client(enforce_csrf_checks=True)
        self.client.force_login(self.users["admin"])

    def test_every_site_url_refuses_a_post_without_token(self):
        failures = []
        for key, rows in cells(self).items():
            if key in CSRF_EXEMPT_ALLOWED:
                continue
            for _method, build, _expected in rows:
                path = build()
                response = self.client.post(path, {"title": "x"})
                if not refused_for_csrf(response):
                    failures.append(f"{key} POST {path}: {response.status_code}")
        self.assertEqual(failures, [], "\n".join(failures))

    def test_every_admin_url_refuses_a_post_without_token(self):
        patterns = {k: r for k, r in all_patterns().items() if r.startswith(ADMIN_PREFIX)}
        self.assertGreater(len(patterns), 100)
        failures = []
        for key, route in sorted(patterns.items()):
            path = admin_sample_path(key, route)
            response = self.client.post(path, {"title": "x"})
            if not refused_for_csrf(response):
                failures.append(f"{key} POST {path}: {response.status_code}")
        self.assertEqual(failures, [], "\n".join(failures))

    def test_the_same_post_with_the_token_is_not_refused_by_the_csrf_check(self):
        # The check above would pass if every POST were refused for another reason: with the
        # token, the admin's account form is accepted.
        self.client.get("/admin/account/")
        token = self.client.cookies["csrftoken"].value
        response = self.client.post("/admin/account/", {"csrfmiddlewaretoken": token})
        self.assertNotEqual(response.content, MARKER)
        self.assertIn(response.status_code, (200, 302))
