/*
 * The HTML report's only style sheet, inlined: system fonts (nothing to load), a single column that wraps long
 * values (commands, URLs) so a phone never scrolls sideways, tables that become stacked cards on a narrow screen,
 * and a print layout for A4 with each org on its own page and each link's address printed after it. Colours only
 * repeat what the status words and symbols already say.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --ok: #1a7f37; --bad: #b42318; --wait: #8a5a00; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; color: #1f2328; background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.25rem 0 0.5rem; }
h2 { font-size: 1.3rem; margin: 0 0 0.5rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.5rem; }
p, li, td, dd, dt, h2 { overflow-wrap: anywhere; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em;
  background: #f6f8fa; padding: 0 0.2em; border-radius: 0.2em; overflow-wrap: anywhere; word-break: break-word; }
a { color: #0550ae; }
.muted { color: var(--muted); }
.status { display: inline-block; font-weight: 700; white-space: nowrap; }
.ready, .pass { color: var(--ok); }
.failing, .fail { color: var(--bad); }
.pending, .warn, .unverified { color: var(--wait); }
.counts { display: flex; flex-wrap: wrap; gap: 0.5rem; list-style: none; padding: 0; margin: 0.5rem 0 1rem; }
.counts li { border: 1px solid var(--line); border-radius: 0.4rem; padding: 0.4rem 0.8rem; min-width: 8rem; }
.counts strong { font-size: 1.4rem; display: block; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line); }
th { font-size: 0.85rem; color: var(--muted); overflow-wrap: normal; }
table.checks { table-layout: fixed; }
table.checks th:nth-child(1) { width: 9.5rem; }
table.checks th:nth-child(2) { width: 36%; }
.org { border-top: 3px solid var(--line); margin-top: 2rem; padding-top: 1rem; }
.org[data-status="failing"] { border-top-color: var(--bad); }
.org[data-status="pending"] { border-top-color: var(--wait); }
.org[data-status="ready"] { border-top-color: var(--ok); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.5rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.problem { border: 1px solid var(--line); border-left: 6px solid currentColor; border-radius: 0.3rem;
  padding: 0.5rem 0.75rem; margin: 0.6rem 0; }
.problem h4 { margin: 0 0 0.25rem; font-size: 1rem; }
.problem dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 0.75rem; color: #1f2328; }
.problem dt { font-weight: 600; }
.problem dd { margin: 0; }
.none { color: var(--ok); font-weight: 600; }
footer { margin: 2rem 0 1rem; font-size: 0.85rem; color: var(--muted); }
@media (max-width: 40rem) {
  main { padding: 0.75rem; }
  dl.facts, .problem dl { grid-template-columns: 1fr; }
  dl.facts dd, .problem dd { margin-bottom: 0.3rem; }
  table.stack thead { display: none; }
  table.stack tr { display: block; border-bottom: 1px solid var(--line); padding: 0.4rem 0; }
  table.stack td { display: block; border: 0; padding: 0.1rem 0; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
}
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  .org { break-before: page; border-top: 0; margin-top: 0; }
  .problem, tr, dl.facts { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 0.85em; overflow-wrap: anywhere; }
  code { background: none; }
}
`;
