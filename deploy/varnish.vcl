# Varnish in front of the CoP platform: the shared HTTP cache for anonymous public pages.
#
#   client ─► nginx (TLS, static files) ─► Varnish :6081 ─► gunicorn on each app server
#
# The app decides what is public: a page the access rule shows to anonymous visitors, asked
# without a session cookie, answered 200 without Set-Cookie, comes with
# "Cache-Control: public, max-age=0, s-maxage=N"; everything else is "private". This file
# only keeps what the app marks public and never looks at anything a signed-in reader gets.
# Wagtail purges pages on publish (FRONTEND_CACHE_URL=http://127.0.0.1:6081 on every app).
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

# Who may send PURGE (Wagtail's frontend cache module on the app servers).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # One copy per site whatever the port in the Host header (Wagtail purges "host/path").
    set req.http.Host = regsub(req.http.Host, ":[0-9]+$", "");
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # A signed-in reader (session cookie, valid or not) always goes to the app.
    # Keep the cookie name in step with SESSION_COOKIE_NAME (Django's default: sessionid).
    if (req.http.Cookie ~ "(^|;\s*)sessionid=" || req.http.Authorization) {
        return (pass);
    }
    # The admin, documents and downloads are never cached (they check who asks).
    if (req.url ~ "^/(admin|django-admin|documents)/" || req.url ~ "/(download|telecharger|file|fichier)/") {
        return (pass);
    }
    # Any other cookie (analytics, language choice, junk) cannot change an anonymous page:
    # drop it so that every anonymous visitor shares one copy.
    unset req.http.Cookie;
    # The language is in the address (/fr/, /en/); the header would only split the cache.
    if (req.url ~ "^/(fr|en)/") {
        unset req.http.Accept-Language;
    }
    return (hash);
}

sub vcl_backend_response {
    # Only what the app explicitly marks public is kept; never a response that sets a cookie.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "public" || beresp.http.Cache-Control ~ "private") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # A little grace: serve the old copy while one request fetches the new one.
    set beresp.grace = 10s;
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
