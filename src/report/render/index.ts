/*
 * The report's formats: html (one self-contained page), markdown (a ticket or a pull request), json (the command's
 * --json result, schema in schemas/ren-report.json) and junit (CI dashboards); the format of an --output-file
 * follows its extension when --format is not given; and the terminal's table.
 */
import type { OrgReport, ReadinessReport } from '../types.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { attention, messages, orgStatusText } from './parts.js';

export const FORMATS = ['html', 'markdown', 'json', 'junit'] as const;
export type ReportFormat = (typeof FORMATS)[number];

const BY_EXTENSION: Record<string, ReportFormat> = {
  html: 'html',
  htm: 'html',
  md: 'markdown',
  markdown: 'markdown',
  json: 'json',
  xml: 'junit',
};

/** The format a file's extension names (report.html, report.md, report.json, report.xml), if any. */
export function formatOfFile(path: string): ReportFormat | undefined {
  const extension = /\.([A-Za-z]+)$/.exec(path)?.[1]?.toLowerCase();
  return extension ? BY_EXTENSION[extension] : undefined;
}

export function render(report: ReadinessReport, format: ReportFormat): string {
  if (format === 'html') return renderHtml(report);
  if (format === 'markdown') return renderMarkdown(report);
  if (format === 'junit') return renderJunit(report);
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The column naming each org in the terminal's table (kept whole when the table must narrow). */
export const ORG_COLUMN = messages.getMessage('doc.org');

/** One row per org for the terminal's table. */
export function orgRows(report: ReadinessReport): Array<Record<string, string>> {
  return report.orgs.map((org) => ({
    [ORG_COLUMN]: org.org,
    [messages.getMessage('doc.status')]: orgStatusText(org.status),
    [messages.getMessage('doc.failed')]: String(org.counts.fail),
    [messages.getMessage('doc.pending')]: String(org.counts.pending),
    [messages.getMessage('doc.warnings')]: String(org.counts.warn + org.counts.unverified),
    [messages.getMessage('doc.usage')]: org.usage ? String(org.usage.users) : '—',
  }));
}

/** For the terminal: each org's failing and pending checks, one line each with its fix. */
export function problemLines(org: OrgReport): string[] {
  const { toFix, pending } = attention(org);
  return [...toFix, ...pending].map(
    (check) =>
      `${org.org}: ${check.name}: ${check.actual}${check.fix ? `\n    ${messages.getMessage('doc.fix')}: ${check.fix}` : ''}`,
  );
}
