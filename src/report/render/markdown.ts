/*
 * The report as Markdown, for a ticket or a pull request: the summary table, then per org its facts, each failing
 * check with its fix and Setup link, what is pending or worth a look, and every check in a table folded under
 * <details> (GitHub and GitLab show it folded; other renderers show it open). Text from an org or the user is
 * escaped so it can neither format the page nor inject HTML.
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

/** Text that Markdown shows as it is: its markup characters escaped, `<` and `&` as entities, one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
    .replace(/\s*\n\s*/g, ' ');
}

/** A link target Markdown cannot misread: percent-encoded, no parentheses or spaces left. */
const linkTarget = (url: string): string =>
  new URL(url).href.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');

function setupMarkdown(check: ReportCheck): string | undefined {
  const setup = check.setup;
  if (!setup) return undefined;
  const text = escapeMarkdown(messages.getMessage('doc.setupPath', [setup.page, setup.path]));
  const protocol = setup.url ? new URL(setup.url).protocol : '';
  return protocol === 'https:' || protocol === 'http:' ? `[${text}](${linkTarget(setup.url ?? '')})` : text;
}

function problemMarkdown(check: ReportCheck): string {
  const lines = [
    `- **${escapeMarkdown(checkStatusText(check.status))}** ${escapeMarkdown(check.name)}`,
    `  - ${messages.getMessage('doc.expected')}: ${escapeMarkdown(check.expected)}`,
    `  - ${messages.getMessage('doc.actual')}: ${escapeMarkdown(check.actual)}`,
  ];
  if (check.fix) lines.push(`  - ${messages.getMessage('doc.fix')}: ${escapeMarkdown(check.fix)}`);
  const setup = setupMarkdown(check);
  if (setup) lines.push(`  - ${messages.getMessage('doc.setup')}: ${setup}`);
  return lines.join('\n');
}

const table = (head: string[], rows: string[][]): string[] => [
  `| ${head.join(' | ')} |`,
  `|${head.map(() => '---').join('|')}|`,
  ...rows.map((row) => `| ${row.join(' | ')} |`),
];

function orgMarkdown(report: ReadinessReport, org: OrgReport): string[] {
  const { toFix, pending, worthALook } = attention(org);
  const out = [`## ${escapeMarkdown(org.org)} — ${escapeMarkdown(orgStatusText(org.status))}`, ''];
  out.push(...orgFacts(org).map(([label, value]) => `- ${escapeMarkdown(label)}: ${escapeMarkdown(value)}`), '');
  if (org.error) out.push(`**${escapeMarkdown(messages.getMessage('doc.error'))}**`, '');
  if (toFix.length + pending.length === 0) out.push(escapeMarkdown(messages.getMessage('doc.nothingToFix')), '');
  const problems: Array<[string, ReportCheck[]]> = [
    [messages.getMessage('doc.toFix'), toFix],
    [messages.getMessage('doc.pendingChecks'), pending],
    [messages.getMessage('doc.worthALook'), worthALook],
  ];
  for (const [title, checks] of problems) {
    if (checks.length > 0)
      out.push(`### ${escapeMarkdown(title)} (${checks.length})`, '', ...checks.map(problemMarkdown), '');
  }
  const head = ['doc.status', 'doc.check', 'doc.expected', 'doc.actual'].map((key) => messages.getMessage(key));
  out.push(
    '<details>',
    `<summary>${escapeMarkdown(messages.getMessage('doc.allChecks'))} (${org.checks.length})</summary>`,
    '',
  );
  for (const [group, checks] of checksByGroup(org)) {
    out.push(
      `#### ${escapeMarkdown(groupTitle(group, report, org))}`,
      '',
      ...table(
        head,
        checks.map((c) => [checkStatusText(c.status), c.name, c.expected, c.actual].map(escapeMarkdown)),
      ),
      '',
    );
  }
  out.push('</details>', '');
  return out;
}

export function renderMarkdown(report: ReadinessReport): string {
  const head = ['doc.org', 'doc.status', 'doc.failed', 'doc.pending', 'doc.warnings', 'doc.usage'].map((key) =>
    messages.getMessage(key),
  );
  const rows = report.orgs.map((org) =>
    [
      org.org,
      orgStatusText(org.status),
      String(org.counts.fail),
      String(org.counts.pending),
      String(org.counts.warn + org.counts.unverified),
      org.usage ? String(org.usage.users) : '—',
    ].map(escapeMarkdown),
  );
  return [
    `# ${escapeMarkdown(messages.getMessage('doc.title'))}`,
    '',
    ...introLines(report).map(escapeMarkdown),
    '',
    `## ${escapeMarkdown(messages.getMessage('doc.summary'))}`,
    '',
    escapeMarkdown(summaryLine(report)),
    '',
    ...table(head, rows),
    '',
    ...report.orgs.flatMap((org) => orgMarkdown(report, org)),
    `_${escapeMarkdown(messages.getMessage('doc.footer'))}_`,
    '',
  ].join('\n');
}
