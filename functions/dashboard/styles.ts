/**
 * The dashboard's style sheet, inlined in the page (no network). Written for three readers: a laptop (a centred
 * column, tables at full width), a phone (one column, cards that wrap, wide tables that scroll sideways with the
 * first column held in place, charts that shrink to the screen), and paper (no buttons or shadows, no row or
 * card split across pages, tables at full width).
 */
export const styles = `
:root { --ink: #1d2330; --muted: #5b6475; --line: #dfe3ea; --panel: #f6f7f9; --accent: #1f5fbf; --up: #b42318; --down: #1a7f37; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; padding: 24px 16px 48px; color: var(--ink); background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; }
header h1 { margin: 0 0 4px; font-size: 28px; line-height: 1.2; }
header p { margin: 0; color: var(--muted); }
h2 { margin: 36px 0 4px; font-size: 20px; }
section > p.lead { margin: 0 0 12px; color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin: 20px 0 0; padding: 0; list-style: none; }
.cards li { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.cards .label { display: block; color: var(--muted); font-size: 13px; }
.cards .value { display: block; font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
.cards .note { display: block; color: var(--muted); font-size: 13px; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; border: 1px solid var(--line); border-radius: 8px; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
caption { text-align: left; padding: 8px 12px; color: var(--muted); font-size: 13px; caption-side: bottom; }
th, td { padding: 7px 9px; text-align: left; white-space: nowrap; border-bottom: 1px solid var(--line); }
table { font-size: 14px; }
th { background: var(--panel); font-size: 13px; }
th button { all: unset; cursor: pointer; font-weight: 650; }
th button:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
/* the arrow is decoration ('/ ""': no alternative text); aria-sort says the order to assistive technology */
th[aria-sort="descending"] button::after { content: " ▼" / ""; color: var(--accent); }
th[aria-sort="ascending"] button::after { content: " ▲" / ""; color: var(--accent); }
th:first-child, td:first-child { position: sticky; left: 0; background: #fff; }
th:first-child { background: var(--panel); }
tbody tr:nth-child(even) td { background: #fbfbfc; }
tfoot td { font-weight: 650; border-top: 2px solid var(--line); border-bottom: 0; }
.num { text-align: right; }
.up { color: var(--up); }
.down { color: var(--down); }
.chart { border: 1px solid var(--line); border-radius: 8px; padding: 8px; background: #fff; }
.chart { margin: 0; }
.chart svg { display: block; width: 100%; height: auto; max-width: 960px; margin: 0 auto; }
.chart.fan svg { max-width: 760px; }
.chart + .scroll, .chart + .empty { margin-top: 12px; }
.empty { color: var(--muted); font-style: italic; }
.findings { list-style: none; margin: 0; padding: 0; display: grid; gap: 12px; }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--muted); border-radius: 8px; padding: 12px 14px; }
.finding.page { border-left-color: var(--up); }
.finding.warn { border-left-color: #c4820e; }
.finding h3 { margin: 0 0 4px; font-size: 16px; display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; }
.finding .impact { margin-left: auto; font-variant-numeric: tabular-nums; }
.finding p { margin: 0 0 8px; }
.finding .meta { color: var(--muted); font-size: 13px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 650; background: var(--panel); border: 1px solid var(--line); }
.badge.page { background: #fde8e7; color: var(--up); border-color: #f4c7c3; }
.badge.warn { background: #fff4dc; color: #8a5a00; border-color: #f0d9a8; }
dl.evidence { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 4px 16px; margin: 0; font-size: 13px; }
dl.evidence div { display: flex; flex-wrap: wrap; gap: 0 6px; align-items: baseline; min-width: 0; }
dl.evidence dt { color: var(--muted); white-space: nowrap; }
dl.evidence div.wide { grid-column: 1 / -1; }
dl.evidence dd { margin: 0; font-weight: 600; overflow-wrap: break-word; min-width: 0; }
.advice { margin: 0; padding-left: 20px; }
.advice li { margin: 0 0 8px; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
@media (max-width: 640px) {
  body { padding: 16px 10px 32px; font-size: 14px; }
  header h1 { font-size: 22px; }
  .cards { grid-template-columns: repeat(2, 1fr); }
  .cards .value { font-size: 19px; }
  th, td { padding: 6px 8px; }
  /* a chart shrunk to a phone's width would have unreadable text: it keeps a readable size and scrolls in its box */
  .chart { overflow-x: auto; -webkit-overflow-scrolling: touch; }
  .chart svg { min-width: 560px; }
  .finding .impact { margin-left: 0; }
  dl.evidence { grid-template-columns: 1fr 1fr; }
  dl.evidence div { display: block; }
}
@media print {
  @page { margin: 12mm; }
  body { padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  .scroll { overflow: visible; border: 0; }
  th button { cursor: auto; }
  th[aria-sort] button::after { content: none; }
  th:first-child, td:first-child { position: static; }
  tr, .finding, .cards li, .chart { break-inside: avoid; }
  .chart { border: 0; padding: 0; }
}
`;
