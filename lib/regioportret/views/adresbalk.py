"""The page address follows the ticked regions (`?regio=12,14`), so a selection can be shared as
a link. A kernel cannot touch the browser's address bar; this invisible widget does it in the
page (history.replaceState: no reload, no extra history entry)."""

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
}
export default { render };
"""


class Adresbalk(anywidget.AnyWidget):
    """`waarde` is written into the page address as `?<parameter>=<waarde>` (removed when empty)."""

    _esm = _ESM
    parameter = traitlets.Unicode("regio").tag(sync=True)
    waarde = traitlets.Unicode("").tag(sync=True)
