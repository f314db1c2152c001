/*
 * The report as JUnit XML, so a CI dashboard shows drift as failing tests: one test suite per org, one test case
 * per org and check. A failed check is a <failure> (expected, actual, fix, Setup page); a pending or unverifiable
 * one is <skipped> with its reason (never a pass, never a failure, as the exit code counts them); a warning passes
 * with its text in <system-out>. An org that could not be read is one failing test case with the error.
 */
import type { OrgReport, ReadinessReport, ReportCheck } from '../types.js';
import { checkStatusText, messages, setupText, usageText } from './parts.js';

/** Characters XML 1.0 does not allow at all (most control characters), dropped before escaping. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const attributes = (values: Record<string, string | number>): string =>
  Object.entries(values)
    .map(([name, value]) => `${name}="${escapeXml(String(value))}"`)
    .join(' ');

function details(check: ReportCheck): string {
  return [
    `${messages.getMessage('doc.expected')}: ${check.expected}`,
    `${messages.getMessage('doc.actual')}: ${check.actual}`,
    ...(check.fix ? [`${messages.getMessage('doc.fix')}: ${check.fix}`] : []),
    ...(check.setup ? [`${messages.getMessage('doc.setup')}: ${check.setup.url ?? setupText(check) ?? ''}`] : []),
  ].join('\n');
}

function testcase(org: OrgReport, check: ReportCheck): string {
  const head = `<testcase ${attributes({ classname: `${org.org}.${check.group}`, name: check.name, time: 0 })}`;
  if (check.status === 'pass') return `${head}/>`;
  if (check.status === 'fail')
    return `${head}><failure ${attributes({ message: check.actual, type: checkStatusText('fail') })}>${escapeXml(details(check))}</failure></testcase>`;
  if (check.status === 'warn')
    return `${head}><system-out>${escapeXml(`${checkStatusText('warn')}: ${details(check)}`)}</system-out></testcase>`;
  return `${head}><skipped ${attributes({ message: `${checkStatusText(check.status)}: ${check.actual}` })}/><system-out>${escapeXml(details(check))}</system-out></testcase>`;
}

function testsuite(org: OrgReport, timestamp: string): string {
  const skipped = org.counts.pending + org.counts.unverified;
  const properties = [
    ['status', org.status],
    ...(org.edition ? [['edition', org.edition]] : []),
    ...(org.error ? [] : [['usage', usageText(org)]]),
    ...(org.usage ? [['connectedUsers', String(org.usage.users)]] : []),
  ];
  return [
    `<testsuite ${attributes({ name: org.org, tests: org.checks.length, failures: org.counts.fail, errors: 0, skipped, time: 0, timestamp })}>`,
    `<properties>${properties.map(([name, value]) => `<property ${attributes({ name, value })}/>`).join('')}</properties>`,
    ...org.checks.map((check) => testcase(org, check)),
    '</testsuite>',
  ].join('\n');
}

export function renderJunit(report: ReadinessReport): string {
  const total = (pick: (org: OrgReport) => number): number => report.orgs.reduce((sum, org) => sum + pick(org), 0);
  const timestamp = report.generatedAt.replace(/\.\d+Z$/, '');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attributes({
      name: messages.getMessage('doc.title'),
      tests: total((o) => o.checks.length),
      failures: total((o) => o.counts.fail),
      errors: 0,
      skipped: total((o) => o.counts.pending + o.counts.unverified),
      time: 0,
    })}>`,
    ...report.orgs.map((org) => testsuite(org, timestamp)),
    '</testsuites>',
    '',
  ].join('\n');
}
