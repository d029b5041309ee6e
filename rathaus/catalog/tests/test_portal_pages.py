"""The citizen-facing pages: home, catalogue and service detail, per municipality and language."""

import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture
def musterstadt_client(catalog) -> Client:
    return Client(HTTP_HOST="musterstadt.localhost")


def test_home_names_the_municipality_and_links_topics(musterstadt_client):
    page = musterstadt_client.get("/").content.decode()
    assert "<h1" in page and "Musterstadt" in page
    assert "?thema=verkehr" in page
    assert "?lebenslage=umzug" in page


def test_catalogue_lists_all_offered_services(musterstadt_client, catalog):
    response = musterstadt_client.get("/leistungen/")
    assert response.status_code == 200
    assert len(response.context["services"]) == len(catalog)
    assert "Bewohnerparkausweis" in response.content.decode()


def test_catalogue_search_finds_the_parking_permit_for_parken(musterstadt_client):
    response = musterstadt_client.get("/leistungen/", {"q": "parken"})
    assert response.context["services"][0].key == "bewohnerparkausweis"
    assert 'value="parken"' in response.content.decode(), "the query stays in the search field"


def test_catalogue_filters_by_topic(musterstadt_client):
    response = musterstadt_client.get("/leistungen/", {"thema": "personenstand"})
    keys = {service.key for service in response.context["services"]}
    assert {"geburtsurkunde", "eheurkunde", "sterbeurkunde"} <= keys
    assert "bewohnerparkausweis" not in keys


def test_an_unknown_filter_value_shows_no_results_instead_of_an_error(musterstadt_client):
    response = musterstadt_client.get("/leistungen/", {"thema": "<script>", "q": "x" * 5000})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_service_detail_says_what_you_need_what_it_costs_and_how_long_it_takes(musterstadt_client):
    page = musterstadt_client.get("/leistungen/bewohnerparkausweis/").content.decode()
    assert "Fahrzeugschein" in page
    assert "20.00 € bis 30.70 €" in page or "20,00 € bis 30,70 €" in page
    assert "14 Tage" in page
    assert "Online beantragen" in page
    assert "/leistungen/bewohnerparkausweis/start/" in page


def test_an_appointment_service_shows_the_mitbringliste(musterstadt_client):
    page = musterstadt_client.get("/leistungen/personalausweis/").content.decode()
    assert "Termin vereinbaren" in page
    assert "Bitte mitbringen" in page
    assert "Passfoto" in page


def test_the_start_page_lists_the_steps_of_the_form(musterstadt_client):
    page = musterstadt_client.get("/leistungen/bewohnerparkausweis/start/").content.decode()
    for step in ("Ihre Angaben", "Ihr Fahrzeug", "Nachweise", "Prüfen und absenden"):
        assert step in page


def test_an_unknown_service_is_a_404_page(musterstadt_client):
    response = musterstadt_client.get("/leistungen/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_the_language_switch_turns_the_interface_to_english(musterstadt_client):
    response = musterstadt_client.post("/i18n/setlang/", {"language": "en", "next": "/leistungen/bewohnerparkausweis/"})
    assert response.status_code == 302
    page = musterstadt_client.get("/leistungen/bewohnerparkausweis/").content.decode()
    assert '<html lang="en">' in page
    assert "Apply online" in page
    assert "Resident parking permit" in page, "the definition's English text is used"
    translation.activate("de")


def test_pages_carry_security_headers(musterstadt_client):
    response = musterstadt_client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_branding_stylesheet_uses_the_municipality_colour_with_readable_text(catalog):
    css = Client(HTTP_HOST="beispielhausen.localhost").get("/branding.css").content.decode()
    assert "--rathaus-brand: #7A1F2B" in css
    assert "--rathaus-on-brand: #ffffff" in css


def test_writing_methods_are_refused_on_reading_pages(musterstadt_client):
    assert musterstadt_client.post("/leistungen/").status_code == 405


def test_german_is_shown_even_to_an_english_browser_until_english_is_chosen(musterstadt_client):
    page = musterstadt_client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="de">' in page
    assert "Zum Inhalt springen" in page


def test_pages_need_a_fixed_number_of_queries_however_many_services(musterstadt_client, django_assert_max_num_queries):
    # host, offerings, their departments, taxon names, facet counts, facet names: whatever the catalogue's size
    with django_assert_max_num_queries(6):
        musterstadt_client.get("/leistungen/")
    with django_assert_max_num_queries(11):  # the same, plus whether each module that is no form is set up
        musterstadt_client.get("/")
    with django_assert_max_num_queries(5):  # host, the service, its department, taxa; whether an office offers it
        musterstadt_client.get("/leistungen/bewohnerparkausweis/")


def test_home_links_the_services_that_are_no_forms_where_they_are_set_up(musterstadt_client, musterstadt):
    from rathaus.appointments.demo import appointments_demo_load

    page = musterstadt_client.get("/").content.decode()
    assert 'href="/termine/"' not in page  # no citizens' office yet
    appointments_demo_load(municipality=musterstadt)
    page = musterstadt_client.get("/").content.decode()
    assert 'href="/termine/"' in page and "Schnell erledigt" in page


def test_a_service_done_online_offers_the_counter_where_an_office_books_it(musterstadt_client, musterstadt):
    from rathaus.appointments.demo import appointments_demo_load

    link = 'href="/termine/?anliegen=meldebescheinigung"'
    assert link not in musterstadt_client.get("/leistungen/meldebescheinigung/").content.decode()
    appointments_demo_load(municipality=musterstadt)
    page = musterstadt_client.get("/leistungen/meldebescheinigung/").content.decode()
    assert link in page and "Online beantragen" in page  # online stays the first way
    assert 'href="/termine/?anliegen=bewohnerparkausweis"' not in (
        musterstadt_client.get("/leistungen/bewohnerparkausweis/").content.decode()
    )


def test_the_defect_report_service_leads_to_the_maengelmelder(musterstadt_client):
    page = musterstadt_client.get("/leistungen/maengelmeldung/start/").content.decode()
    assert 'href="/maengelmelder/melden/"' in page
    assert "/antrag/" not in page  # no application form for it
