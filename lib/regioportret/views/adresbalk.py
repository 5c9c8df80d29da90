"""Small widgets that act in the page, where a kernel cannot reach: the address bar follows the
ticked regions (`?regio=12,14`, so a selection can be shared as a link), the region list sends
its whole state with every click, the map controls speak Dutch, and an upload checks its size
before anything is sent."""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
function render({ model, el }) {
  el.style.display = "none";
  const zet = () => {
    const waarde = model.get("waarde");
    const naam = model.get("parameter");
    const url = new URL(window.location.href);
    if (waarde) { url.searchParams.set(naam, waarde); } else { url.searchParams.delete(naam); }
    const nieuw = url.pathname + url.search.replace(/%2C/gi, ",") + url.hash;
    if (nieuw !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", nieuw);
    }
  };
  model.on("change:waarde", zet);
  zet();
  // Reconcile as well: whatever order or speed the changes came in, or whatever else wrote the
  // address meanwhile, once the page is idle the address is the state.
  const klok = setInterval(zet, 500);
  return () => { clearInterval(klok); model.off("change:waarde", zet); };
}
export default { render };
"""


class Adresbalk(anywidget.AnyWidget):
    """`waarde` is written into the page address as `?<parameter>=<waarde>` (removed when empty)."""

    _esm = _ESM
    parameter = traitlets.Unicode("regio").tag(sync=True)
    waarde = traitlets.Unicode("").tag(sync=True)


_REGIOLIJST_ESM = """
function render({ model, el }) {
  const veld = document.createElement("fieldset");
  veld.className = "rp-regiolijst";
  veld.style.cssText = "border:0;margin:0;padding:0;min-width:0";
  const kop = document.createElement("legend");
  kop.textContent = "Regio's";
  kop.style.cssText = "font-weight:bold;padding:0;margin:4px 0";
  const zoek = document.createElement("input");
  zoek.type = "search";
  zoek.placeholder = "Zoek regio (nummer of naam)";
  zoek.setAttribute("aria-label", "Zoek regio (nummer of naam)");
  zoek.className = "widget-input";
  zoek.style.cssText = "width:96%;box-sizing:border-box;margin:2px 0";
  const melding = document.createElement("span");
  melding.className = "rp-regel rp-filtermelding";
  melding.setAttribute("role", "status");
  const knoppen = document.createElement("div");
  knoppen.style.cssText = "display:flex;gap:4px;width:96%;margin:4px 0";
  const knop = (tekst) => {
    const k = document.createElement("button");
    k.type = "button";
    k.className = "jupyter-button widget-button";
    k.textContent = tekst;
    k.style.cssText = "flex:1 1 0";
    knoppen.appendChild(k);
    return k;
  };
  const aan = knop("alles aan"), uit = knop("alles uit");
  const lijst = document.createElement("div");
  lijst.style.cssText = "max-height:470px;overflow:auto";
  const vakjes = new Map();
  for (const [nr, naam] of model.get("regios")) {
    const rij = document.createElement("label");
    rij.className = "rp-vinkje";
    rij.style.cssText = "display:block;line-height:26px;cursor:pointer;white-space:nowrap";
    const vak = document.createElement("input");
    vak.type = "checkbox";
    vak.style.cssText = "margin:0 6px 0 2px;vertical-align:middle";
    rij.appendChild(vak);
    rij.appendChild(document.createTextNode(nr + " \u2013 " + naam));
    lijst.appendChild(rij);
    vakjes.set(nr, vak);
  }
  // Every click sends the whole new state: clicks reach the kernel in order, as one value.
  const stuur = (nummers) => {
    model.set("gekozen", [...nummers].sort((a, b) => a - b));
    model.save_changes();
  };
  for (const [nr, vak] of vakjes) {
    vak.addEventListener("change", () => {
      const nu = new Set(model.get("gekozen"));
      if (vak.checked) { nu.add(nr); } else { nu.delete(nr); }
      stuur(nu);
    });
  }
  aan.addEventListener("click", () => stuur(vakjes.keys()));
  uit.addEventListener("click", () => stuur([]));
  zoek.addEventListener("input", () => {
    const q = zoek.value.trim().toLowerCase();
    let zichtbaar = 0;
    for (const rij of lijst.children) {
      const ja = !q || rij.textContent.toLowerCase().includes(q);
      rij.style.display = ja ? "block" : "none";
      zichtbaar += ja ? 1 : 0;
    }
    melding.textContent = zichtbaar ? "" : "Geen regio's gevonden voor '" + zoek.value.trim().slice(0, 60) + "'.";
  });
  const toon = () => {
    const nu = new Set(model.get("gekozen"));
    for (const [nr, vak] of vakjes) { vak.checked = nu.has(nr); }
  };
  model.on("change:gekozen", toon);
  toon();
  veld.append(kop, zoek, melding, knoppen, lijst);
  el.appendChild(veld);
  return () => model.off("change:gekozen", toon);
}
export default { render };
"""


class Regiolijst(anywidget.AnyWidget):
    """The region column: a filter, 'alles aan', 'alles uit' and one tick box per region, in the
    page as one widget. `gekozen` (ticked region numbers, ascending) is its whole state, and every
    click sends all of it: a click cannot overtake an earlier one on its way to the kernel (with
    a widget per box and buttons, a button's message overtook the boxes' buffered updates, and
    the address bar stayed a step behind). One widget instead of 80 also draws faster."""

    _esm = _REGIOLIJST_ESM
    regios = traitlets.List().tag(sync=True)  # [regionummer, regionaam] per region
    gekozen = traitlets.List(traitlets.Int()).tag(sync=True)

    @property
    def nummers(self) -> list[int]:
        return [int(nr) for nr, _ in self.regios]


# The map controls' own English texts (Leaflet.draw, leaflet-fullscreen) and their Dutch wording.
KAART_NL: dict[str, str] = {
    "Cancel drawing": "Tekenen annuleren", "Cancel": "Annuleren",
    "Finish drawing": "Tekenen afronden", "Finish": "Klaar",
    "Delete last point drawn": "Laatst getekende punt verwijderen", "Delete last point": "Laatste punt weg",
    "Draw a polygon": "Teken een veelhoek", "Draw a rectangle": "Teken een rechthoek",
    "Draw a circle": "Teken een cirkel",
    "Click and drag to draw circle.": "Klik en sleep om een cirkel te tekenen.", "Radius": "Straal",
    "Click to start drawing shape.": "Klik om de vorm te beginnen.",
    "Click to continue drawing shape.": "Klik om verder te tekenen.",
    "Click first point to close this shape.": "Klik op het eerste punt om de vorm te sluiten.",
    "Click and drag to draw rectangle.": "Klik en sleep om een rechthoek te tekenen.",
    "Release mouse to finish drawing.": "Laat de muis los om af te ronden.",
    "View Fullscreen": "Volledig scherm", "Exit Fullscreen": "Volledig scherm sluiten",
}

_VERTAAL_ESM = """
function render({ model, el }) {
  el.style.display = "none";
  const woorden = model.get("woorden");
  const vertaal = (root) => {
    const knopen = root.querySelectorAll
      ? root.querySelectorAll(".leaflet-control a, .leaflet-draw-actions a, .leaflet-draw-tooltip, .leaflet-draw-tooltip *")
      : [];
    for (const k of knopen) {
      const t = k.getAttribute && k.getAttribute("title");
      if (t && woorden[t]) k.setAttribute("title", woorden[t]);
      for (const c of k.childNodes) {
        if (c.nodeType === 3) {
          const s = c.textContent.trim();
          if (woorden[s]) c.textContent = c.textContent.replace(s, woorden[s]);
        }
      }
    }
  };
  vertaal(document);
  const waarnemer = new MutationObserver((lijst) => {
    for (const m of lijst) {
      if (m.type === "attributes" || m.type === "characterData") { vertaal(document); return; }
      for (const n of m.addedNodes) { if (n.nodeType === 1) { vertaal(n.parentNode || n); } }
    }
  });
  waarnemer.observe(document.body, { childList: true, subtree: true, attributes: true,
                                     attributeFilter: ["title"], characterData: true });
  return () => waarnemer.disconnect();
}
export default { render };
"""


class Kaarttaal(anywidget.AnyWidget):
    """Puts the map controls' English texts (drawing tools, fullscreen) in Dutch, in the page:
    the texts live in the map libraries' JavaScript, out of a kernel's reach."""

    _esm = _VERTAAL_ESM
    woorden = traitlets.Dict(KAART_NL).tag(sync=True)


MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # well below the websocket's 10 MiB message limit

# A button made in the page (upload, download): the look of a widget button, as wide as its text,
# on one line with what stands beside it.
_KNOP_JS = """
function paginaknop(model, el) {
  const knop = document.createElement("button");
  knop.type = "button";
  knop.className = "jupyter-button widget-button";
  knop.textContent = model.get("beschrijving");
  knop.style.cssText = "width:auto;max-width:none;margin:var(--jp-widgets-margin, 2px)";
  el.style.cssText = "display:inline-flex;align-items:center;flex-wrap:wrap";
  return knop;
}
"""

_KIEZER_ESM = _KNOP_JS + """
function render({ model, el }) {
  const invoer = document.createElement("input");
  invoer.type = "file";
  invoer.accept = model.get("accept");
  invoer.style.display = "none";
  const knop = paginaknop(model, el);
  const melding = document.createElement("span");
  melding.className = "rp-uploadmelding";
  melding.style.marginLeft = "8px";
  knop.addEventListener("click", () => invoer.click());
  invoer.addEventListener("change", async () => {
    const f = invoer.files[0];
    invoer.value = "";
    if (!f) return;
    const max = model.get("max_bytes");
    if (f.size > max) {  // said here, before anything is sent: a too large message would drop the connection
      const mb = (x) => (x / 1048576).toLocaleString("nl-NL", { maximumFractionDigits: 1 });
      melding.textContent = `Het bestand ${f.name} is te groot (${mb(f.size)} MB; hoogstens ${mb(max)} MB). ` +
        "Een regio-indeling is een klein CSV-bestand; kies het juiste bestand.";
      model.send({ soort: "te_groot", naam: f.name, grootte: f.size });
      return;
    }
    melding.textContent = "";
    const inhoud = await f.arrayBuffer();
    model.send({ soort: "bestand", naam: f.name, grootte: f.size }, undefined, [inhoud]);
  });
  el.append(invoer, knop, melding);
}
export default { render };
"""


class Bestandskiezer(anywidget.AnyWidget):
    """A file upload that checks the size in the page and says in Dutch when a file is too large,
    before anything is sent (ipywidgets' FileUpload sends first, and a large file silently drops
    the connection). `bij_bestand(naam, inhoud)` is called with a file that fits; `bij_te_groot(naam,
    grootte)` with one that does not."""

    _esm = _KIEZER_ESM
    beschrijving = traitlets.Unicode("Bestand kiezen").tag(sync=True)
    accept = traitlets.Unicode(".csv").tag(sync=True)
    max_bytes = traitlets.Int(MAX_UPLOAD_BYTES).tag(sync=True)  # for the page's message; the kernel checks MAX_UPLOAD_BYTES

    def __init__(self, bij_bestand, bij_te_groot=None, **kwargs):
        super().__init__(**kwargs)
        self._bij_bestand, self._bij_te_groot = bij_bestand, bij_te_groot
        self.on_msg(self._bericht)

    def _bericht(self, _widget, inhoud, buffers):
        if not isinstance(inhoud, dict):  # a forged message: ignored, never a traceback
            return
        naam = str(inhoud.get("naam") or "upload.csv")[:200]
        # the kernel's own limit: max_bytes is a synced trait, which a forged update can raise
        if inhoud.get("soort") == "bestand" and buffers and len(buffers[0]) <= MAX_UPLOAD_BYTES:
            self._bij_bestand(naam, bytes(buffers[0]))
        elif self._bij_te_groot is not None:
            grootte = inhoud.get("grootte")
            self._bij_te_groot(naam, grootte if isinstance(grootte, int) else (len(buffers[0]) if buffers else 0))


_DOWNLOAD_ESM = _KNOP_JS + """
function render({ model, el }) {
  const knop = paginaknop(model, el);
  const status = document.createElement("span");
  status.className = "rp-downloadstatus";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.style.marginLeft = "6px";
  let bezig = false;
  const klaar = (tekst) => {
    bezig = false;
    knop.disabled = false;
    knop.removeAttribute("aria-busy");
    el.classList.remove("rp-bezig");
    status.textContent = tekst || "";
  };
  knop.addEventListener("click", () => {
    if (bezig) return;
    bezig = true;
    knop.disabled = true;
    knop.setAttribute("aria-busy", "true");
    el.classList.add("rp-bezig");
    status.textContent = model.get("bezig_tekst");
    model.send({ soort: "maak" });
  });
  model.on("msg:custom", (bericht, buffers) => {
    if (!bericht || typeof bericht !== "object") return;
    if (bericht.soort === "bestand" && buffers && buffers.length) {
      const blob = new Blob([buffers[0]], { type: bericht.mime || "application/octet-stream" });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = bericht.naam;
      a.style.display = "none";
      document.body.append(a);
      a.click();  // the browser's own download starts at once
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      const kb = (blob.size / 1024).toLocaleString("nl-NL", { maximumFractionDigits: 0 });
      klaar(`${bericht.naam} is gedownload (${kb} kB).`);
    } else {
      klaar("");
    }
  });
  el.append(knop, status);
}
export default { render };
"""


class Downloadknop(anywidget.AnyWidget):
    """A download in one click: the page asks, the kernel makes the file in memory and sends it
    back, and the browser saves it at once (its own download), with a busy state meanwhile.
    Nothing is written on the server. `maak()` returns (file name, MIME type, bytes), or None
    when there is nothing to download (it has said why in `melding`, e.g. an incomplete form).
    An error is logged for the maintainer and told to the visitor in Dutch in `melding` (an
    ipywidgets HTML), which each click clears first."""

    _esm = _DOWNLOAD_ESM
    beschrijving = traitlets.Unicode("Download").tag(sync=True)
    bezig_tekst = traitlets.Unicode("Bezig met maken…").tag(sync=True)

    def __init__(self, maak, melding, **kwargs):
        super().__init__(**kwargs)
        self._maak, self._melding = maak, melding
        self.on_msg(self._bericht)

    def _bericht(self, _widget, inhoud, _buffers):
        if not isinstance(inhoud, dict) or inhoud.get("soort") != "maak":  # a forged message: ignored
            return
        self.maak()

    def maak(self) -> tuple[str, str, bytes] | None:
        """Make the file and send it to the page (also what a test calls)."""
        import logging

        from ..errors import RegioportretError
        from .notebook import foutmelding

        self._melding.value = ""  # a message about an earlier file is not this one's
        try:
            bestand = self._maak()
        except Exception as e:  # noqa: BLE001 - a Dutch message on the page, the details in the server's log
            logging.getLogger("regioportret").exception("download '%s' mislukt", self.beschrijving)
            self._melding.value = foutmelding(e if isinstance(e, RegioportretError) else RegioportretError(
                "Het bestand kon niet worden gemaakt. Probeer het opnieuw; lukt het dan nog niet, laad de pagina "
                "opnieuw of meld het aan de beheerder."))
            self.send({"soort": "fout"})
            return None
        if bestand is None:
            self.send({"soort": "niets"})
            return None
        naam, mime, inhoud = bestand
        self.send({"soort": "bestand", "naam": naam, "mime": mime}, buffers=[inhoud])
        return bestand
