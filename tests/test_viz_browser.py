"""The map in real headless Chromium: offline, no errors, panel quotes, search by alias, XSS inert.

One browser for the whole module (starting Chromium costs about a second)."""
from __future__ import annotations

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from policykg.graph.network import entity_graph
from policykg.viz.maps import OVERVIEW_NODES, MapOptions, build_map, render
from tests.browser import browser, open_map
from tests.test_viz import HOSTILE_LABEL, HOSTILE_QUOTE, hostile_store


@pytest.fixture(scope="module")
def driver():
    with browser() as d:
        yield d


@pytest.fixture(scope="module")
def sample_page(corpus_store, tmp_path_factory):
    path = tmp_path_factory.mktemp("maps") / "map.html"
    path.write_bytes(render(build_map(corpus_store)))
    return path


def assert_clean(report):
    assert report.requests == [], f"the page fetched {report.requests}"
    assert report.console_errors == [], report.console_errors
    assert report.interactive_ms is not None and report.first_paint_ms is not None


def no_alert(driver) -> bool:
    try:
        driver.switch_to.alert.dismiss()
        return False
    except NoAlertPresentException:
        return True


def click_node(driver, node_id: str) -> None:
    """A real mouse click on the node's position on the canvas."""
    driver.execute_script("window.policykgMap.network.focus(arguments[0], {scale: 1.2, animation: false});", node_id)
    x, y = driver.execute_script("""
        const net = window.policykgMap.network, p = net.canvasToDOM(net.getPosition(arguments[0]));
        const box = document.getElementById('network').getBoundingClientRect();
        return [p.x - box.width / 2, p.y - box.height / 2];""", node_id)
    container = driver.find_element(By.ID, "network")
    ActionChains(driver).move_to_element_with_offset(container, int(x), int(y)).click().perform()


def test_sample_map_is_offline_error_free_and_complete(driver, sample_page, corpus_store):
    report = open_map(driver, sample_page)
    assert_clean(report)
    expected = entity_graph(corpus_store, include_negated=True)
    counts = driver.execute_script("""const m = window.policykgMap;
        return [m.nodes.length, m.edges.length, m.nodesView.length, m.data.meta.nodes];""")
    assert counts[0] == counts[3] == expected.number_of_nodes()
    assert counts[1] == expected.number_of_edges()
    assert counts[2] == min(OVERVIEW_NODES, expected.number_of_nodes())
    assert driver.execute_script("return document.getElementById('title').textContent") == "policykg map: entities"
    assert "5 articles" in driver.find_element(By.ID, "corpus").text


def test_clicking_a_node_shows_its_quotes(driver, sample_page, corpus_store):
    open_map(driver, sample_page)
    zhipu = "https://w3id.org/policykg/id/org/zhipu-ai"
    quote = driver.execute_script("""return window.policykgMap.data.nodes
        .find(n => n.id === arguments[0]).quotes[0][1][0];""", zhipu)
    click_node(driver, zhipu)
    panel = driver.find_element(By.ID, "panel")
    assert panel.find_element(By.TAG_NAME, "h2").text == "Zhipu AI"
    assert quote in [q.text for q in panel.find_elements(By.CSS_SELECTOR, "blockquote")]
    assert "Z.ai" in panel.find_element(By.CSS_SELECTOR, ".aliases").text


def test_clicking_an_edge_shows_its_evidence(driver, sample_page):
    open_map(driver, sample_page)
    edge = driver.execute_script("""const m = window.policykgMap;
        const i = m.data.edges.findIndex((e, i) => e.quotes && m.edgesView.get(i));
        if (i < 0) return null;
        m.network.selectEdges([i]);
        m.network.body.emitter.emit('click', {nodes: [], edges: [i]});
        return m.data.edges[i];""")
    if edge is None:
        pytest.fail("the sample map has no visible edge with a quote")
    texts = [q.text for q in driver.find_elements(By.CSS_SELECTOR, "#panel blockquote")]
    assert edge["quotes"][0][1][0] in texts


def test_search_finds_an_entity_by_alias(driver, sample_page):
    open_map(driver, sample_page)
    box = driver.find_element(By.ID, "search")
    box.send_keys("Z.ai")
    hits = driver.find_elements(By.CSS_SELECTOR, "#results button")
    assert hits and hits[0].text.startswith("Zhipu AI")
    box.send_keys(Keys.ENTER)
    assert driver.find_element(By.CSS_SELECTOR, "#panel h2").text == "Zhipu AI"
    assert driver.execute_script("return window.policykgMap.network.getSelectedNodes()") == [
        "https://w3id.org/policykg/id/org/zhipu-ai"]


def test_type_filter_and_show_all(driver, sample_page):
    open_map(driver, sample_page)
    before = driver.execute_script("return window.policykgMap.nodesView.length")
    driver.find_element(By.CSS_SELECTOR, 'input[data-type="Company"]').click()
    after = driver.execute_script("return window.policykgMap.nodesView.length")
    companies = driver.execute_script("""return window.policykgMap.nodesView.get()
        .filter(n => window.policykgMap.data.nodes.find(d => d.id === n.id).type === 'Company').length""")
    assert after < before and companies == 0
    driver.find_element(By.ID, "showall").click()
    total = driver.execute_script("return window.policykgMap.data.nodes.filter(n => n.type !== 'Company').length")
    assert driver.execute_script("return window.policykgMap.nodesView.length") == total


@pytest.mark.parametrize("view", ["claims", "timeline"])
def test_other_views_load_clean(driver, corpus_store, tmp_path, view):
    path = tmp_path / f"{view}.html"
    data = build_map(corpus_store, MapOptions(view=view))
    path.write_bytes(render(data))
    assert_clean(open_map(driver, path))
    assert driver.execute_script("return window.policykgMap.nodes.length") == data.graph.number_of_nodes()


def test_hostile_article_stays_inert(driver, tmp_path):
    path = tmp_path / "hostile.html"
    path.write_bytes(render(build_map(hostile_store())))
    report = open_map(driver, path)
    assert_clean(report)
    assert no_alert(driver)
    assert driver.execute_script("return window.__pwned === undefined")
    # Only our own elements: no injected image, script, link or iframe.
    assert driver.execute_script("""return [document.images.length, document.scripts.length,
        document.querySelectorAll('a, iframe, object, embed').length]""") == [0, 3, 0]
    # Labels, titles and quotes show as text.
    evil = "https://w3id.org/policykg/id/org/evil"
    driver.execute_script("window.policykgMap.goTo(arguments[0])", evil)
    panel = driver.find_element(By.ID, "panel")
    assert driver.execute_script("return document.querySelector('#panel h2').textContent") == HOSTILE_LABEL
    assert "javascript:alert(1)" in panel.find_element(By.CSS_SELECTOR, ".aliases").text
    headings = [h.get_attribute("textContent") for h in panel.find_elements(By.TAG_NAME, "h3")]
    assert any("</script><script>window.__pwned = 5" in h for h in headings)
    i = driver.execute_script("return window.policykgMap.data.edges.findIndex(e => e.from === arguments[0])", evil)
    driver.execute_script("window.policykgMap.network.body.emitter.emit('click', {nodes: [], edges: [arguments[0]]})", i)
    quotes = [q.get_attribute("textContent") for q in driver.find_elements(By.CSS_SELECTOR, "#panel blockquote")]
    assert HOSTILE_QUOTE in quotes
    # Search on a hostile alias, and the article select, are text too.
    box = driver.find_element(By.ID, "search")
    box.send_keys("javascript:")
    assert driver.find_elements(By.CSS_SELECTOR, "#results button")
    options = [o.get_attribute("textContent") for o in driver.find_elements(By.CSS_SELECTOR, "#article option")]
    assert any(o.startswith("</script><script>") for o in options)
    assert no_alert(driver) and driver.execute_script("return window.__pwned === undefined")
    assert driver.execute_script("return document.images.length + document.querySelectorAll('a').length") == 0
    assert report.console_errors == [] and not [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
