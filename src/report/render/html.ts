/*
 * The report as one self-contained HTML page: inline style, no script, nothing loaded from anywhere (a Content
 * Security Policy forbids it even if something slipped in), so it opens the same offline, in a mail attachment or
 * from a CI artifact. A summary on top, then a section per org: its facts, each failing check with its fix and its
 * Setup link, what is pending, what is worth a look, and every check. Every text from an org or the user is
 * escaped; the only links are in-page anchors and Setup pages in the org's own domain.
 */
import type { OrgReport, ReadinessReport, ReportCheck } from '../types.js';
import {
  attention,
  checkStatusText,
  checksByGroup,
  groupTitle,
  introLines,
  messages,
  orgFacts,
  orgStatusText,
  summaryLine,
} from './parts.js';
import { REPORT_CSS } from './style.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value: nothing in it can open a tag, an attribute or an entity. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'";

/** A Setup link: only an http(s) URL becomes a link; anything else is shown as text. */
function setupHtml(check: ReportCheck): string {
  const setup = check.setup;
  if (!setup) return '';
  const text = messages.getMessage('doc.setupPath', [setup.page, setup.path]);
  let href: string | undefined;
  try {
    href = setup.url && ['https:', 'http:'].includes(new URL(setup.url).protocol) ? new URL(setup.url).href : undefined;
  } catch {
    href = undefined;
  }
  const shown = escapeHtml(text);
  const value = href ? `<a href="${escapeHtml(href)}" rel="noreferrer noopener">${shown}</a>` : shown;
  return `<dt>${escapeHtml(messages.getMessage('doc.setup'))}</dt><dd>${value}</dd>`;
}

function problemHtml(check: ReportCheck): string {
  const row = (label: string, value: string | undefined): string =>
    value === undefined || value === '' ? '' : `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`;
  return [
    `<article class="problem ${check.status}">`,
    `<h4><span class="status">${escapeHtml(checkStatusText(check.status))}</span> `,
    `<span class="name">${escapeHtml(check.name)}</span></h4>`,
    '<dl>',
    row(messages.getMessage('doc.expected'), check.expected),
    row(messages.getMessage('doc.actual'), check.actual),
    check.fix
      ? `<dt>${escapeHtml(messages.getMessage('doc.fix'))}</dt><dd class="fix">${escapeHtml(check.fix)}</dd>`
      : '',
    setupHtml(check),
    '</dl></article>',
  ].join('');
}

function problemsHtml(title: string, checks: ReportCheck[], kind: string): string {
  if (checks.length === 0) return '';
  return `<section class="${kind}"><h3>${escapeHtml(title)} (${checks.length})</h3>${checks.map(problemHtml).join('\n')}</section>`;
}

function checksTable(checks: ReportCheck[]): string {
  const head = ['doc.status', 'doc.check', 'doc.expected', 'doc.actual'].map((key) => messages.getMessage(key));
  const cell = (label: string, value: string, cls = ''): string =>
    `<td data-label="${escapeHtml(label)}"${cls ? ` class="${cls}"` : ''}>${escapeHtml(value)}</td>`;
  const rows = checks.map(
    (c) =>
      `<tr>${cell(head[0], checkStatusText(c.status), `status ${c.status}`)}${cell(head[1], c.name)}${cell(head[2], c.expected)}${cell(head[3], c.actual)}</tr>`,
  );
  return `<table class="stack checks"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function orgHtml(report: ReadinessReport, org: OrgReport, index: number): string {
  const facts = orgFacts(org)
    .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  const { toFix, pending, worthALook } = attention(org);
  const groups = checksByGroup(org)
    .map(([group, checks]) => `<h4>${escapeHtml(groupTitle(group, report, org))}</h4>${checksTable(checks)}`)
    .join('\n');
  return [
    `<section class="org" data-status="${org.status}" id="org-${index + 1}" aria-labelledby="org-${index + 1}-title">`,
    `<h2 id="org-${index + 1}-title"><span class="name">${escapeHtml(org.org)}</span> — `,
    `<span class="status ${org.status}">${escapeHtml(orgStatusText(org.status))}</span></h2>`,
    facts ? `<dl class="facts">${facts}</dl>` : '',
    org.error ? `<p class="failing"><strong>${escapeHtml(messages.getMessage('doc.error'))}</strong></p>` : '',
    toFix.length + pending.length === 0
      ? `<p class="none">${escapeHtml(messages.getMessage('doc.nothingToFix'))}</p>`
      : '',
    problemsHtml(messages.getMessage('doc.toFix'), toFix, 'to-fix'),
    problemsHtml(messages.getMessage('doc.pendingChecks'), pending, 'pending-checks'),
    problemsHtml(messages.getMessage('doc.worthALook'), worthALook, 'worth-a-look'),
    `<section class="all-checks"><h3>${escapeHtml(messages.getMessage('doc.allChecks'))} (${org.checks.length})</h3>${groups}</section>`,
    '</section>',
  ].join('\n');
}

function summaryHtml(report: ReadinessReport): string {
  const counts = (['ready', 'pending', 'failing'] as const)
    .map(
      (status) =>
        `<li class="${status}"><strong>${report.summary[status]}</strong><span class="status">${escapeHtml(orgStatusText(status))}</span></li>`,
    )
    .join('');
  const head = ['doc.org', 'doc.status', 'doc.failed', 'doc.pending', 'doc.warnings', 'doc.usage'].map((key) =>
    messages.getMessage(key),
  );
  const rows = report.orgs.map((org, index) => {
    const cells = [
      `<a href="#org-${index + 1}">${escapeHtml(org.org)}</a>`,
      `<span class="status ${org.status}">${escapeHtml(orgStatusText(org.status))}</span>`,
      String(org.counts.fail),
      String(org.counts.pending),
      String(org.counts.warn + org.counts.unverified),
      escapeHtml(org.usage ? String(org.usage.users) : '—'),
    ];
    return `<tr>${cells.map((c, i) => `<td data-label="${escapeHtml(head[i])}">${c}</td>`).join('')}</tr>`;
  });
  return [
    `<section class="summary" aria-labelledby="summary-title"><h2 id="summary-title">${escapeHtml(messages.getMessage('doc.summary'))}</h2>`,
    `<p>${escapeHtml(summaryLine(report))}</p>`,
    `<ul class="counts">${counts}</ul>`,
    `<table class="stack orgs"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody></table></section>`,
  ].join('\n');
}

export function renderHtml(report: ReadinessReport): string {
  const title = messages.getMessage('doc.title');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body><main>',
    `<header><h1>${escapeHtml(title)}</h1>${introLines(report)
      .map((line) => `<p class="muted">${escapeHtml(line)}</p>`)
      .join('')}</header>`,
    summaryHtml(report),
    ...report.orgs.map((org, index) => orgHtml(report, org, index)),
    `<footer>${escapeHtml(messages.getMessage('doc.footer'))}</footer>`,
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}
