/*
 * End to end: `sf ren report` through the real sf over three emulated orgs in different states (ready, failing with
 * drift, pending propagation) and a name sf does not know: the verdicts, every format, --redact, the exit codes,
 * and that no org received a single write.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { RenReportResult } from '../../src/commands/ren/report.js';
import { jsonOf } from './renOrg.js';
import { DRIFTED_CALLBACK, type ReportFleet, startReportFleet, writesSince } from './reportFleet.js';

describe('sf ren report (end to end, real sf + emulators)', function () {
  this.timeout(300_000);
  let fleet: ReportFleet;
  const out = (name: string): string => join(fleet.session.home, 'reports', name);
  const report = (...args: string[]) => fleet.session.sf(['ren', 'report', ...args]);

  before(async () => {
    fleet = await startReportFleet();
  });
  after(async () => {
    await fleet?.session.close();
  });

  it('reads every org at once and says, org by org, ready, pending or failing, writing nothing', async () => {
    const from = fleet.emulators.map((e) => e.requests.length);
    const run = await report(...fleet.all, '--json');
    const body = jsonOf<RenReportResult>(run);
    // One org failing (drift) and one that cannot be read: exit code 1, the result still complete.
    expect(run.code, run.stderr).to.equal(1);
    const result = body.result!;
    expect(result.orgs.map((o) => [o.org, o.status])).to.deep.equal([
      [fleet.session.alias, 'ready'],
      ['drift', 'failing'],
      ['fresh', 'pending'],
      ['nosuchorg', 'failing'],
    ]);
    expect(result.summary).to.deep.equal({ orgs: 4, ready: 1, pending: 1, failing: 2 });
    expect(result).to.deep.include({ ok: false, pending: false, app: 'ren', redacted: false });
    const [ready, drift, fresh, bad] = result.orgs;
    expect(ready.usage).to.deep.include({ tokens: 2, users: 1 });
    expect(ready.username).to.equal(fleet.session.username);
    const callback = drift.checks.find((c) => c.name.startsWith('Callback URL'));
    expect(callback).to.deep.include({
      status: 'fail',
      actual: DRIFTED_CALLBACK,
      fix: 'sf ren app create --target-org drift',
    });
    expect(callback?.setup?.url).to.equal(
      `${fleet.emulators[1].url}/lightning/setup/ManageExternalClientApplication/home`,
    );
    const probe = fresh.checks.find((c) => c.name.startsWith('Live OAuth probe'));
    expect(probe?.status).to.equal('pending');
    expect(bad.error?.name).to.be.a('string');
    expect(bad.checks[0].actual).to.include('nosuchorg');
    // It only reads: not one request of any org could have changed it.
    fleet.emulators.forEach((emulator, i) => expect(writesSince(emulator, from[i]), emulator.url).to.deep.equal([]));
  });

  it('writes each format to a file, named by --format or by the extension', async () => {
    const html = await report(...fleet.all, '--output-file', out('fleet.html'));
    expect(html.code).to.equal(1);
    expect(html.stdout).to.include('4 orgs: 1 ready, 1 pending, 2 failing.');
    expect(html.stdout).to.include(`Wrote the html report to ${out('fleet.html')}.`);
    const page = await readFile(out('fleet.html'), 'utf8');
    expect(page.match(/<section class="org"/g)).to.have.length(4);
    expect(page).to.include(DRIFTED_CALLBACK);
    expect((await stat(out('fleet.html'))).mode & 0o777).to.equal(0o600);

    const md = await report(...fleet.all, '--format', 'markdown', '--output-file', out('fleet.txt'));
    expect(md.code).to.equal(1);
    const markdown = await readFile(out('fleet.txt'), 'utf8');
    expect(markdown).to.match(/^# Ren readiness report/);
    expect(markdown).to.include('## drift — ✖ FAILING').and.include('## fresh — ◷ PENDING');

    const junit = await report(...fleet.all, '--output-file', out('fleet.xml'));
    expect(junit.code).to.equal(1);
    const xml = await readFile(out('fleet.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).to.equal(true);
    const suites = (
      new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
        testsuites: { testsuite: Array<{ name: string; failures: string; skipped: string }> };
      }
    ).testsuites.testsuite;
    expect(suites.map((s) => [s.name, Number(s.failures) > 0])).to.deep.equal([
      [fleet.session.alias, false],
      ['drift', true],
      ['fresh', false],
      ['nosuchorg', true],
    ]);
    expect(Number(suites[2].skipped)).to.be.greaterThan(0);

    const json = await report(...fleet.all, '--output-file', out('fleet.json'), '--json');
    const written = JSON.parse(await readFile(out('fleet.json'), 'utf8')) as RenReportResult;
    const result = jsonOf<RenReportResult>(json).result!;
    expect(result).to.deep.include({ format: 'json', outputFile: out('fleet.json') });
    expect(written.orgs.map((o) => o.status)).to.deep.equal(result.orgs.map((o) => o.status));
  });

  it('--redact leaves no username, org id or org host in any format', async () => {
    for (const file of ['redacted.html', 'redacted.md', 'redacted.xml', 'redacted.json']) {
      // eslint-disable-next-line no-await-in-loop
      const run = await report(...fleet.all, '--redact', '--output-file', out(file));
      expect(run.code, file).to.equal(1);
      // eslint-disable-next-line no-await-in-loop
      const text = (await readFile(out(file), 'utf8')).toLowerCase();
      for (const hidden of fleet.identifiers) expect(text, `${file}: ${hidden}`).not.to.include(hidden.toLowerCase());
      expect(text, file).to.include('drift');
    }
    const json = jsonOf<RenReportResult>(await report(...fleet.all, '--redact', '--json'));
    const text = JSON.stringify(json).toLowerCase();
    for (const hidden of fleet.identifiers) expect(text, hidden).not.to.include(hidden.toLowerCase());
    expect(json.result?.redacted).to.equal(true);
  });

  it('exit code 69 when nothing fails but something is pending, 0 when every org is ready', async () => {
    const pending = await report('-o', fleet.session.alias, '-o', 'fresh');
    expect(pending.code, pending.stdout + pending.stderr).to.equal(69);
    expect(pending.stdout).to.include('run the report again in a few minutes');
    expect(pending.stdout).to.match(/fresh: Live OAuth probe[^\n]*\n\s+Fix: Nothing to fix: wait a few minutes/);

    // The default org alone, as Markdown on standard output for a pipe.
    const ready = await report('--format', 'markdown');
    expect(ready.code, ready.stderr).to.equal(0);
    expect(ready.stdout).to.match(/^# Ren readiness report/);
    expect(ready.stdout).to.include(`## ${fleet.session.alias} — ✔ READY`);
    expect(ready.stderr).to.include('1 org: 1 ready, 0 pending, 0 failing.');
  });

  it('refuses what it cannot do before reading any org', async () => {
    const from = fleet.session.emulator.requests.length;
    const unknown = await report('--output-file', out('report.txt'), '--json');
    expect(jsonOf(unknown).name).to.equal('RenReportFormatError');
    const noFile = await report('--format', 'html', '--json');
    expect(jsonOf(noFile).name).to.equal('RenReportNeedsFileError');
    expect(fleet.session.emulator.requests.length).to.equal(from);
  });
});
