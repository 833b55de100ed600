def test_dutch_is_the_default_even_for_an_english_browser(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert "Inloggen" in response.content.decode()
    assert response["Content-Language"] == "nl"


def test_the_footer_switch_changes_the_language_to_english(client, db):
    client.post("/language/", {"language": "en", "next": "/accounts/login/"})

    response = client.get("/accounts/login/")

    assert "Log in" in response.content.decode()
    assert '<html lang="en">' in response.content.decode()


def test_an_unknown_language_falls_back_to_dutch(client, db):
    client.cookies["django_language"] = "xx"

    assert "Inloggen" in client.get("/accounts/login/").content.decode()
