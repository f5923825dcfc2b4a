"""What the browser tests check on any page, and how they read the e-mails the SMTP sink got."""

import email.header
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_SOURCE = AXE.read_text(encoding="utf-8") + "\n;void 0;"
BLOCKING = {"serious", "critical"}
TAP_MIN = 44

AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')),
    detail: (v.nodes[0] && v.nodes[0].failureSummary || '').split('\\n').slice(-1)[0],
  }));
}"""

# Sideways scroll and tap targets (visible links, buttons and form controls under 44 px tall;
# links inside running text are exempt, as WCAG 2.5.8 exempts them).
LAYOUT = """(min) => {
  const doc = document.documentElement;
  const small = [];
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  for (const el of document.querySelectorAll(controls)) {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
    if (el.tagName === 'A' && el.closest('p, li:not(.nav-item):not(.list-group-item), td, dd, small, .form-text')
        && style.display === 'inline') continue;
    // A checkbox or radio counts with its label, which is the tap target.
    let height = r.height;
    if (el.type === 'checkbox' || el.type === 'radio') {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (label) height = Math.max(height, label.getBoundingClientRect().height);
      const check = el.closest('.form-check');
      if (check) height = Math.max(height, check.getBoundingClientRect().height);
    }
    if (height + 0.5 < min) {
      let name = el.tagName.toLowerCase();
      if (el.id) name += '#' + el.id;
      else if (el.classList.length) name += '.' + [...el.classList].slice(0, 2).join('.');
      const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30);
      small.push(`${name} "${text}" ${Math.round(height)}px`);
    }
  }
  const wide = [];
  if (doc.scrollWidth > window.innerWidth) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 1 && r.width > 0) {
        let inside = false;
        for (let p = el.parentElement; p; p = p.parentElement) {
          const o = getComputedStyle(p).overflowX;
          if (o === 'auto' || o === 'scroll' || o === 'hidden') { inside = true; break; }
        }
        if (!inside) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (el.classList.length ? '.' + [...el.classList].slice(0, 2).join('.') : '') + ` (${Math.round(r.right)}px)`);
      }
    }
  }
  return {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, small, wide: wide.slice(0, 8)};
}"""


def axe_blocking(page) -> list[dict]:
    """Serious and critical axe-core violations of the page as it is shown now."""
    page.evaluate(AXE_SOURCE)
    return [v for v in page.evaluate(AXE_RUN) if v["impact"] in BLOCKING]


def scrolls_sideways(page) -> bool:
    """The page is wider than the window (at 390 px: the phone must scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message.get("Subject") or "")))


def plain_text(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""
