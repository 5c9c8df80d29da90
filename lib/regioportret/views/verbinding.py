"""What an open page does when its server goes away (a restart, a lost network, a culled
kernel): it says so in Dutch within a few seconds and offers to reload, and the application
form keeps what was typed in the browser tab and puts it back after the reload. The watch also
marks Voila's cell container as the page's main landmark (accessibility).

Voilà's own page only loops on reconnecting, silently. The app (views.app) answers
/regioportret/verbinding/<kernel> for the page that owns the kernel; the page asks every few
seconds. Under a plain `voila` or in JupyterLab that address does not exist: the watch then
never arms and stops after its first question.
"""

from __future__ import annotations

import anywidget
import traitlets

from . import palet

INTERVAL_MS = 3000  # a check every 3 s; the notice after two failed checks in a row (or one 404)

_WACHT_ESM = """
function config() {
  const el = document.getElementById("jupyter-config-data");
  try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
}

function melding(tekst, knop, k) {
  let m = document.getElementById("rp-verbroken");
  if (m) return m;
  m = document.createElement("div");
  m.id = "rp-verbroken";
  m.setAttribute("role", "alert");
  m.style.cssText = `position:fixed;top:0;left:0;right:0;z-index:10000;background:${k.achtergrond};color:${k.tekst};` +
    `border-bottom:2px solid ${k.rand};padding:10px 16px;font:15px/1.4 sans-serif;display:flex;gap:12px;` +
    "align-items:center;flex-wrap:wrap";
  const p = document.createElement("span");
  p.textContent = tekst;
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = knop;
  b.className = "jupyter-button widget-button mod-primary";
  b.addEventListener("click", () => window.location.reload());
  m.append(p, b);
  document.body.append(m);
  return m;
}

function render({ model, el }) {
  if (window.__rpVerbindingswacht) return;  // one watch per page
  // Voila puts every cell in #rendered_cells: that is the page's main landmark for screen readers.
  const inhoud = document.getElementById("rendered_cells");
  if (inhoud && !inhoud.getAttribute("role")) inhoud.setAttribute("role", "main");
  const c = config();
  if (!c.kernelId) return;  // not a Voilà page (JupyterLab): nothing to watch
  window.__rpVerbindingswacht = true;
  const base = (c.baseUrl || "/").replace(/\\/?$/, "/");
  const url = `${base}regioportret/verbinding/${c.kernelId}`;
  const interval = model.get("interval_ms");
  let gewapend = false, mislukt = 0;
  const stop = (tekst) => {
    clearInterval(timer);
    melding(tekst + " " + model.get("extra"), "Pagina opnieuw laden", model.get("kleuren"));
  };
  const kijk = async () => {
    let status = 0;
    try {
      const r = await fetch(url, { cache: "no-store", credentials: "same-origin" });
      status = r.status;
    } catch (e) { status = 0; }
    if (status === 204) { gewapend = true; mislukt = 0; return; }
    if (!gewapend) { clearInterval(timer); return; }  // this server has no such address: no watch
    if (status === 404) {
      stop("Deze pagina is niet meer verbonden met de server (de server is opnieuw gestart of de pagina " +
           "stond te lang stil). Klikken en kiezen werkt pas weer na opnieuw laden.");
      return;
    }
    mislukt += 1;
    if (mislukt >= 2) {
      stop("De verbinding met de server is verbroken. Klikken en kiezen werkt pas weer als de server " +
           "bereikbaar is en de pagina opnieuw is geladen.");
    }
  };
  const timer = setInterval(kijk, interval);
  kijk();
}
export default { render };
"""


class Verbindingswacht(anywidget.AnyWidget):
    """Shown once on every app page; `extra` is a sentence added to the notice (the form says
    its fields come back)."""

    _esm = _WACHT_ESM
    interval_ms = traitlets.Int(INTERVAL_MS).tag(sync=True)
    extra = traitlets.Unicode("").tag(sync=True)
    kleuren = traitlets.Dict({"achtergrond": palet.DEMO_ACHTERGROND, "tekst": palet.LET_OP_TEKST,
                              "rand": palet.LET_OP_RAND}).tag(sync=True)


_BEWAAR_ESM = """
function velden(root) {
  const uit = {};
  root.querySelectorAll("[class*='rp-veld-']").forEach((box) => {
    const naam = [...box.classList].find((k) => k.startsWith("rp-veld-"));
    const invoer = box.querySelector("input, textarea, select");
    if (naam && invoer) uit[naam.slice(8)] = invoer;
  });
  return uit;
}

function render({ model, el }) {
  const sleutel = "regioportret:" + model.get("sleutel");
  const root = el.closest(".widget-vbox") || document;
  const bewaar = () => {
    const waarden = {};
    for (const [naam, invoer] of Object.entries(velden(root))) waarden[naam] = invoer.value;
    try { sessionStorage.setItem(sleutel, JSON.stringify(waarden)); } catch (e) { /* storage off: nothing kept */ }
  };
  let opgeslagen = null;
  try { opgeslagen = JSON.parse(sessionStorage.getItem(sleutel) || "null"); } catch (e) { opgeslagen = null; }
  // put back what this tab typed before a reload; the widgets send it to the kernel as typed input
  const terug = (poging) => {
    const v = velden(root);
    const namen = Object.keys(opgeslagen || {}).filter((n) => opgeslagen[n] !== "");
    if (namen.some((n) => !v[n]) && poging < 50) { setTimeout(() => terug(poging + 1), 100); return; }
    for (const n of namen) {
      if (!v[n] || v[n].value === opgeslagen[n]) continue;
      v[n].value = opgeslagen[n];
      v[n].dispatchEvent(new Event("input", { bubbles: true }));
      v[n].dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (namen.length) el.textContent = "Wat u eerder in dit tabblad invulde, is teruggezet.";
    root.addEventListener("input", bewaar);
    root.addEventListener("change", bewaar);
  };
  if (opgeslagen) terug(0); else { root.addEventListener("input", bewaar); root.addEventListener("change", bewaar); }
}
export default { render };
"""


class Formulierbewaarder(anywidget.AnyWidget):
    """Put inside a form's box: keeps the value of each field whose widget has the class
    `rp-veld-<naam>` in the tab's sessionStorage under `sleutel`, and restores it after a reload.
    The data stays in the visitor's browser tab (sessionStorage ends with the tab); the server
    keeps nothing."""

    _esm = _BEWAAR_ESM
    sleutel = traitlets.Unicode("").tag(sync=True)


def veldklasse(naam: str) -> str:
    return f"rp-veld-{naam}"


def toon_verbindingswacht(extra: str = "") -> None:
    """At the top of an app page: the watch over its connection (see the module's docstring)."""
    from IPython.display import display

    display(Verbindingswacht(extra=extra))
