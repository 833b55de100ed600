"""The web app manifest: a trainer puts "WPO" on the home screen of their phone."""

import json

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from PIL import Image

from tests.factories import PASSWORD


def manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    return json.loads(response.content)


def test_the_manifest_names_the_app_and_opens_it_standalone_at_home(client, db):
    app = manifest(client)

    assert (app["name"], app["short_name"]) == ("WPO", "WPO")
    assert (app["start_url"], app["display"]) == ("/", "standalone")
    assert app["theme_color"] == "#0b6e4f"


def test_every_icon_of_the_manifest_is_a_static_png_of_its_size(client, db):
    icons = manifest(client)["icons"]

    assert {icon["sizes"] for icon in icons} == {"192x192", "512x512"}
    assert any(icon.get("purpose") == "maskable" for icon in icons)
    for icon in icons:
        name = icon["src"].removeprefix(static(""))
        with Image.open(finders.find(name)) as image:
            assert image.format == "PNG"
            assert "x".join(map(str, image.size)) == icon["sizes"]


def test_every_page_links_the_manifest_and_a_home_screen_icon(client, world):
    client.login(username=world.trainer.user.username, password=PASSWORD)

    page = client.get("/trainer/").content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#0b6e4f">' in page
    assert f'<link rel="apple-touch-icon" href="{static("img/apple-touch-icon.png")}">' in page
