"""Translated URLs: French slugs under /fr/, English ones under /en/, both answering."""

import pytest
from django.urls import resolve, reverse, translate_url
from django.utils import translation

# (URL name, kwargs, French path, English path)
TRANSLATED_URLS = [
    ("login", {}, "/fr/compte/connexion/", "/en/account/login/"),
    ("logout", {}, "/fr/compte/deconnexion/", "/en/account/logout/"),
    ("password_reset", {}, "/fr/compte/mot-de-passe-oublie/", "/en/account/password-reset/"),
    (
        "password_reset_done",
        {},
        "/fr/compte/mot-de-passe-oublie/envoye/",
        "/en/account/password-reset/sent/",
    ),
    (
        "password_reset_confirm",
        {"uidb64": "MQ", "token": "set-password"},
        "/fr/compte/reinitialiser/MQ/set-password/",
        "/en/account/reset/MQ/set-password/",
    ),
    ("password_reset_complete", {}, "/fr/compte/reinitialiser/termine/", "/en/account/reset/done/"),
    ("translation_missing", {"page_id": 7}, "/fr/traduction-manquante/7/", "/en/translation-missing/7/"),
    ("deliverable_download", {"page_id": 7}, "/fr/depot/telecharger/7/", "/en/repository/download/7/"),
]
IDS = [name for name, *_ in TRANSLATED_URLS]


def test_login_url_is_translated():
    with translation.override("fr"):
        assert reverse("login") == "/fr/compte/connexion/"
    with translation.override("en"):
        assert reverse("login") == "/en/account/login/"


@pytest.mark.parametrize(("name", "kwargs", "french", "english"), TRANSLATED_URLS, ids=IDS)
def test_url_is_reversed_in_each_language(name, kwargs, french, english):
    for language, expected in (("fr", french), ("en", english)):
        with translation.override(language):
            assert reverse(name, kwargs=kwargs or None) == expected


@pytest.mark.parametrize(("name", "kwargs", "french", "english"), TRANSLATED_URLS, ids=IDS)
def test_url_resolves_and_translates_both_ways(name, kwargs, french, english):
    for language, path in (("fr", french), ("en", english)):
        with translation.override(language):
            match = resolve(path)
        assert match.url_name == name
        assert match.kwargs == kwargs
    # What the language switcher does outside Wagtail pages, in the language of the request.
    with translation.override("fr"):
        assert translate_url(french, "en") == english
    with translation.override("en"):
        assert translate_url(english, "fr") == french


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [
        ("/fr/compte/connexion/", "fr", "Se connecter"),
        ("/en/account/login/", "en", "Log in"),
        ("/fr/compte/mot-de-passe-oublie/", "fr", "Réinitialiser votre mot de passe"),
        ("/en/account/password-reset/", "en", "Reset your password"),
        ("/fr/compte/mot-de-passe-oublie/envoye/", "fr", "Consultez vos courriels"),
        ("/en/account/password-reset/sent/", "en", "Check your email"),
        ("/fr/compte/reinitialiser/MQ/set-password/", "fr", "Ce lien n'est plus valide"),
        ("/en/account/reset/MQ/set-password/", "en", "This link is no longer valid"),
        ("/fr/compte/reinitialiser/termine/", "fr", "Mot de passe modifié"),
        ("/en/account/reset/done/", "en", "Password changed"),
    ],
)
def test_account_page_answers_in_its_language(client, path, language, heading):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html


@pytest.mark.django_db
def test_login_pages_show_the_translated_button(client):
    french = client.get("/fr/compte/connexion/")
    english = client.get("/en/account/login/")
    assert french.status_code == english.status_code == 200
    assert "Se connecter" in french.content.decode()
    assert "Mot de passe oublié?" in french.content.decode()
    assert "Log in" in english.content.decode()
    assert "Log in" not in french.content.decode()
