import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { useEmulatorOrg } from '../emulatorOrg.js';
import { useOfflineOrg } from '../offlineOrg.js';
import { renOrgSeed } from '../../../e2e/renOrg.js';
import { orgRows } from '../../../../src/report/render/index.js';
import RenReport from '../../../../src/commands/ren/report.js';

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'ren-report-'));

describe('sf ren report (unit)', () => {
  describe('before any org is read', () => {
    const offline = useOfflineOrg();

    it('refuses an --output-file whose extension names no format, writing nothing', async () => {
      const file = join(freshDir(), 'report.txt');
      const error = await offline.runExpectingError(RenReport, ['--output-file', file]);
      expect(error.name).to.equal('RenReportFormatError');
      expect(error.message).to.include(file);
      expect(error.actions).to.deep.equal(['Give the format: --format html, markdown, json or junit.']);
      expect(existsSync(file)).to.equal(false);
      expect(offline.ours()).to.deep.equal([]);
    });

    it('refuses an --output-file it cannot write (a folder of its path is a file) before reading the org', async () => {
      const dir = freshDir();
      writeFileSync(join(dir, 'notes'), 'x');
      const file = join(dir, 'notes', 'readiness.html');
      const error = await offline.runExpectingError(RenReport, ['--output-file', file]);
      expect(error.name).to.equal('RenReportOutputFileError');
      expect(error.message).to.include(`The report cannot be written to ${file}: E`);
      expect(offline.ours()).to.deep.equal([]);
      // Nor is a folder taken for the file.
      const folder = join(dir, 'readiness.html');
      mkdirSync(folder);
      const isFolder = await offline.runExpectingError(RenReport, ['--output-file', folder]);
      expect(isFolder.message).to.include(`${folder}: it is a folder.`);
      expect(offline.ours()).to.deep.equal([]);
    });

    it('refuses a --format document on standard output with --json', async () => {
      const error = await offline.runExpectingError(RenReport, ['--format', 'html', '--json']);
      expect(error.name).to.equal('RenReportNeedsFileError');
      expect(error.message).to.include('the html document needs a file');
      expect(offline.ours()).to.deep.equal([]);
    });

    it('refuses a format it does not know, through oclif', async () => {
      const error = await offline.runExpectingError(RenReport, ['--format', 'pdf']);
      expect(error.message).to.match(/Expected --format=pdf to be one of: html, markdown, json, junit/);
      expect(offline.ours()).to.deep.equal([]);
    });

    it('with no org named and no default org: RenReportNoOrgsError', async () => {
      const error = await RenReport.run([]).then(
        () => expect.fail('expected an error'),
        (e: Error) => e,
      );
      expect(error.name).to.equal('RenReportNoOrgsError');
      expect(offline.ours()).to.deep.equal([]);
    });
  });

  describe('against an org', () => {
    const org = useEmulatorOrg(() => renOrgSeed({}, { organization: { OrganizationType: 'Enterprise Edition' } }));

    it('an org set up as the guide says is ready: the --json result, exit code 0, nothing written to the org', async () => {
      const result = await RenReport.run(org.argv('--json'));
      const [one] = result.orgs;
      expect(result.summary).to.deep.equal({ orgs: 1, ready: 1, pending: 0, failing: 0 });
      expect(result).to.deep.include({ ok: true, pending: false, app: 'ren', redacted: false });
      expect(one).to.deep.include({
        org: org.testOrg.username,
        username: org.testOrg.username,
        orgId: org.emulator.org.organization.Id,
        edition: 'Enterprise Edition',
        status: 'ready',
      });
      expect(one.counts.fail).to.equal(0);
      expect(one.checks.find((c) => c.name === 'The app exists')).to.deep.include({ status: 'pass', group: 'app' });
      expect(result.format).to.equal(undefined);
      expect(process.exitCode).to.equal(undefined);
      expect(org.writes()).to.deep.equal([]);
    });

    it('without --format: a table row per org, then the count', async () => {
      const result = await RenReport.run(org.argv());
      const rows = org.ux.table.firstCall.args[0].data as Array<Record<string, string>>;
      expect(rows).to.deep.equal(orgRows(result));
      expect(rows[0]).to.deep.include({ Org: org.testOrg.username, Status: '✔ READY', Failed: '0' });
      expect(org.logged()).to.deep.equal(['1 org: 1 ready, 0 pending, 0 failing.']);
    });

    it('--output-file alone: the extension names the format, the file is written 0600, stdout says where', async () => {
      const file = join(freshDir(), 'sub', 'readiness.html');
      const result = await RenReport.run(org.argv('--output-file', file));
      expect(result).to.deep.include({ format: 'html', outputFile: file });
      const page = readFileSync(file, 'utf8');
      expect(page.match(/<section class="org"/g)).to.have.length(1);
      expect(page).to.include(org.testOrg.username);
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      expect(org.logged()).to.deep.equal([
        '1 org: 1 ready, 0 pending, 0 failing.',
        `Wrote the html report to ${file}.`,
      ]);
      expect(org.ux.table.called).to.equal(false);
    });

    it('a drifted setting fails the org with its fix and Setup link, and sets exit code 1', async () => {
      org.emulator.reset(
        renOrgSeed(
          { oauthPolicies: { ipRelaxationPolicyType: 'Bypass' } },
          { organization: { OrganizationType: 'Enterprise Edition' } },
        ),
      );
      const result = await RenReport.run(org.argv('--json'));
      expect(result.summary).to.deep.equal({ orgs: 1, ready: 0, pending: 0, failing: 1 });
      expect(result).to.deep.include({ ok: false, pending: false });
      const failed = result.orgs[0].checks.filter((c) => c.status === 'fail');
      expect(failed.map((c) => c.name)).to.deep.equal(['IP relaxation (ipRelaxationPolicyType)']);
      expect(failed[0]).to.deep.include({
        expected: 'Enforce',
        actual: 'Bypass',
        fix: `sf ren app create --target-org ${org.testOrg.username}`,
        group: 'app',
      });
      expect(failed[0].setup?.url).to.equal(`${org.emulator.url}/lightning/setup/ManageExternalClientApplication/home`);
      expect(process.exitCode).to.equal(1);
    });

    it('an org without the app: the check fails, the terminal names it and its fix, exit code 1', async () => {
      const result = await RenReport.run(org.argv('--app', 'nosuch'));
      expect(result.orgs[0].status).to.equal('failing');
      const absent = result.orgs[0].checks.find((c) => c.name === 'The app exists');
      expect(absent).to.deep.include({
        status: 'fail',
        actual: 'not in the org',
        fix: `sf ren app create --target-org ${org.testOrg.username} --app nosuch`,
      });
      expect(org.logged()).to.include(
        `\n${org.testOrg.username}: The app exists: not in the org\n    Fix: ${absent?.fix}`,
      );
      expect(org.logged().at(-1)).to.equal('1 org: 0 ready, 0 pending, 1 failing.');
      expect(process.exitCode).to.equal(1);
    });

    it('--format markdown|junit|json|html with --output-file writes that format, whatever the extension', async () => {
      const dir = freshDir();
      const read = async (format: string): Promise<string> => {
        const file = join(dir, `${format}.out`);
        const result = await RenReport.run(org.argv('--app', 'nosuch', '--format', format, '--output-file', file));
        expect(result).to.deep.include({ format, outputFile: file });
        return readFileSync(file, 'utf8');
      };
      const markdown = await read('markdown');
      expect(markdown).to.match(/^# Ren readiness report/);
      expect(markdown).to.include(`## ${org.testOrg.username} — ✖ FAILING`);

      const xml = await read('junit');
      expect(XMLValidator.validate(xml)).to.equal(true);
      const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
        testsuites: { testsuite: { name: string; failures: string } };
      };
      expect(parsed.testsuites.testsuite.name).to.equal(org.testOrg.username);
      expect(Number(parsed.testsuites.testsuite.failures)).to.equal(1);

      const json = JSON.parse(await read('json')) as { summary: unknown; orgs: Array<{ status: string }> };
      expect(json.summary).to.deep.equal({ orgs: 1, ready: 0, pending: 0, failing: 1 });
      expect(json.orgs.map((o) => o.status)).to.deep.equal(['failing']);

      const html = await read('html');
      expect(html).to.match(/^<!DOCTYPE html>/i);
      expect(html).to.include('not in the org').and.not.include('<script');
      expect(process.exitCode).to.equal(1);
    });

    it('--redact: no username, org id or org host in the result or the file', async () => {
      const file = join(freshDir(), 'shared.md');
      const result = await RenReport.run(org.argv('--app', 'nosuch', '--redact', '--output-file', file, '--json'));
      expect(result.redacted).to.equal(true);
      expect(result.orgs[0].org).to.equal('org 1');
      const id = org.emulator.org.organization.Id;
      const hidden = [org.testOrg.username, id, id.slice(0, 15), new URL(org.emulator.url).host];
      for (const text of [JSON.stringify(result), readFileSync(file, 'utf8')]) {
        for (const value of hidden) expect(text.toLowerCase()).not.to.include(value.toLowerCase());
      }
      // The fix is still there, naming the org by a placeholder.
      expect(result.orgs[0].checks.find((c) => c.name === 'The app exists')?.fix).to.equal(
        'sf ren app create --target-org <username> --app nosuch',
      );
    });

    it('an org whose session expired is failing with its error and never stops the other; a line per org', async () => {
      const result = await RenReport.run(org.argv('-o', org.expiredOrg.username));
      expect(result.orgs.map((o) => [o.org, o.status])).to.deep.equal([
        [org.testOrg.username, 'ready'],
        [org.expiredOrg.username, 'failing'],
      ]);
      expect(result.orgs[1].error?.name).to.be.a('string');
      expect(result.summary).to.deep.equal({ orgs: 2, ready: 1, pending: 0, failing: 1 });
      const progress = org.ux.logToStderr.args.map((args) => String(args[0]));
      expect(progress).to.have.members([`${org.testOrg.username}: ✔ READY`, `${org.expiredOrg.username}: ✖ FAILING`]);
      expect(process.exitCode).to.equal(1);
    });
  });
});
