"""The look (issue 16): theme fonts everywhere, Utrecht form parts, skip link, 390 px screens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from thuis.accounts.choices import Role
from thuis.demo.finance import seed_finance_demo
from thuis.partners.models import Contract, Organisation
from thuis.tests import factories

from .test_pages import login as pages_login

THEME_FONTS = {'"Noto Sans", sans-serif', '"Noto Serif", serif', '"Noto Sans Mono", monospace'}
WIDTHS = (1280, 390)

FONTS_JS = """() => {
  const out = {};
  for (const el of document.querySelectorAll('body, body *')) {
    if (['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT'].includes(el.tagName)) continue;
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'text') continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const key = style.fontFamily;
    const name = el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    (out[key] = out[key] || []).length < 5 && out[key].push(name);
  }
  return out;
}"""

# The width of the page, what sticks out, and scroll containers a keyboard cannot reach.
OVERFLOW_JS = """() => {
  const root = document.scrollingElement;
  const name = el => el.tagName.toLowerCase() + '.' + String(el.className).split(' ').join('.');
  const wide = [], unreachable = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > root.clientWidth + 1 && !el.closest('.thuis-table-wrap')) {
      wide.push(name(el));
    }
    const ox = getComputedStyle(el).overflowX;
    if ((ox === 'auto' || ox === 'scroll') && el.scrollWidth > el.clientWidth
        && (el.tabIndex < 0 || !(el.getAttribute('aria-label')
            || el.getAttribute('aria-labelledby')))) {
      unreachable.push(name(el));
    }
  }
  return {scroll: root.scrollWidth, client: root.clientWidth, wide: wide.slice(0, 8),
          unreachable: unreachable};
}"""


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    home = factories.MunicipalityFactory(code="0148", name="Dalfsen (test)")
    users = {
        role: factories.UserFactory(username=f"look-{role}", role=role, municipalities=[home])
        for role in (Role.REGISSEUR, Role.BELEIDSMEDEWERKER, Role.BEHEERDER)
    }
    person = factories.PersonFactory(municipality=home, family_name="Haddad", given_names="Amal")
    for _ in range(3):
        factories.CaseFactory(
            person=factories.PersonFactory(municipality=home), regisseur=users[Role.REGISSEUR]
        )
    case = factories.CaseFactory(person=person, regisseur=users[Role.REGISSEUR])
    organisation = Organisation.objects.create(name="Taalschool Vecht (test)", kind="taal")
    organisation.municipalities.add(home)
    Contract.objects.create(
        organisation=organisation,
        municipality=home,
        product="Taalcursus B1 met examentraining en begeleiding naar werk",
        referral_type="taal",
        unit="uur",
        price=Decimal("85.00"),
        start_date=date(2026, 1, 1),
    )
    seed_finance_demo(home, today=date(2026, 6, 30))
    return {"users": users, "person": person, "case": case}


def pages(world: dict[str, Any]) -> dict[str, list[str]]:
    return {
        Role.REGISSEUR: [
            "/start/",
            "/personen/",
            f"/personen/{world['person'].pk}/",
            f"/trajecten/{world['case'].pk}/",
            "/trajecten/werkvoorraad/",
            "/monitor/",
        ],
        Role.BELEIDSMEDEWERKER: ["/partners/contracten/", "/financien/"],
        Role.BEHEERDER: ["/accounts/gebruikers/"],
    }


# Elements with their own text in the browser's default black: the theme's colour did not reach.
BLACK_TEXT_JS = """() => [...document.querySelectorAll('body, body *')].filter(el =>
  [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
  && el.getClientRects().length && getComputedStyle(el).color === 'rgb(0, 0, 0)'
).slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + String(el.className))"""


def walk(
    page: Any, live_server: Any, world: dict[str, Any], widths: tuple[int, ...] = WIDTHS
) -> Iterator[tuple[str, int]]:
    """Log in as each role and open each of its pages at each width (1280 and 390 px)."""
    for role, paths in pages(world).items():
        page.context.clear_cookies()
        pages_login(page, live_server.url, f"look-{role}", lambda _page: None)
        for path in paths:
            for width in widths:
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(live_server.url + path)
                assert response is not None and response.status == 200, (path, response)
                yield path, width


def test_theme_fonts_on_every_element(
    page: Any, live_server: Any, world: dict[str, Any], axe_check: Any
) -> None:
    for path, width in walk(page, live_server, world):
        fonts = page.evaluate(FONTS_JS)
        foreign = {family: tags for family, tags in fonts.items() if family not in THEME_FONTS}
        assert not foreign, (path, width, foreign)
        assert '"Noto Sans", sans-serif' in fonts, (path, width, fonts)
        assert not page.evaluate(BLACK_TEXT_JS), (path, width)
        axe_check(page)


def test_utrecht_form_components(
    page: Any, live_server: Any, world: dict[str, Any], axe_check: Any
) -> None:
    pages_login(page, live_server.url, f"look-{Role.BEHEERDER}", lambda _page: None)
    page.goto(live_server.url + "/accounts/gebruikers/")
    select = page.locator("form.thuis-form select").first
    assert "utrecht-select--html-select" in (select.get_attribute("class") or "")
    indicator = select.evaluate("el => getComputedStyle(el).backgroundImage")
    assert indicator.startswith('url("data:image/svg+xml'), indicator  # the dropdown arrow
    page.get_by_role("button", name="Gebruiker toevoegen").click()
    page.wait_for_load_state()
    error = page.locator(".utrecht-form-field-error-message").first
    expect(error).to_be_visible()
    colours = error.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(document.body).color]"
    )
    assert colours[0] != colours[1], colours  # the theme's error colour, not the text colour
    assert page.locator(".utrecht-select--invalid, .utrecht-textbox--invalid").count() >= 1
    axe_check(page)


SKIP_LINK_SHOWN_JS = """el => {
  const r = el.getBoundingClientRect();
  return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
}"""


def test_skip_link_only_on_focus(page: Any, live_server: Any, world: dict[str, Any]) -> None:
    pages_login(page, live_server.url, f"look-{Role.REGISSEUR}", lambda _page: None)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/personen/")
        skip = page.get_by_role("link", name="Naar de inhoud")
        assert not skip.evaluate(SKIP_LINK_SHOWN_JS), width  # out of sight
        page.keyboard.press("Tab")
        assert skip.evaluate("el => el === document.activeElement"), width
        assert skip.evaluate(SKIP_LINK_SHOWN_JS), width  # in sight on focus
        page.keyboard.press("Enter")
        page.wait_for_url("**#inhoud")
        assert not skip.evaluate(SKIP_LINK_SHOWN_JS), width  # out of sight again


def test_staff_pages_fit_390_px(
    page: Any, live_server: Any, world: dict[str, Any], axe_check: Any
) -> None:
    for path, _width in walk(page, live_server, world, widths=(390,)):
        found = page.evaluate(OVERFLOW_JS)
        assert found["scroll"] <= found["client"], (path, found)  # no sideways scrolling
        assert not found["unreachable"], (path, found)  # wide tables scroll by keyboard too
        assert page.get_by_role("navigation", name="Hoofdmenu").is_visible(), path
        axe_check(page)
