import { access, constants, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { mergeDefinition as mergeConnectedAppDefinition } from '../../connectedApp/definition.js';
import { mergeDefinition } from '../../eca/definition.js';
import { definitionFile } from '../../eca/validate.js';
import { orgTargetFlag } from '../../onboard/flags.js';
import { readOrgsFile } from '../../onboard/orgsFile.js';
import { defaultOrgTarget, resolveTargets } from '../../onboard/targets.js';
import { collectReport } from '../../report/collect.js';
import {
  FORMATS,
  ORG_COLUMN,
  formatOfFile,
  orgRows,
  problemLines,
  render,
  type ReportFormat,
} from '../../report/render/index.js';
import { orgStatusText } from '../../report/render/parts.js';
import type { ReadinessReport } from '../../report/types.js';
import { EXIT } from '../../shared/exitCodes.js';
import { printTable } from '../../shared/table.js';
import { counted } from '../../shared/plural.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'ren.report');

export type RenReportResult = ReadinessReport & {
  /** The document's format, when one was written. */
  format?: ReportFormat;
  /** Where the document was written (absolute path), with --output-file. */
  outputFile?: string;
};

/**
 * The file's folder is made (as mkdir -p) before any org is read, not after: a path that cannot be written is
 * refused before a fleet is read for nothing.
 */
async function prepareOutputFile(file: string): Promise<void> {
  const refuse = (reason: string): Error => messages.createError('error.RenReportOutputFile', [file, reason]);
  if ((await stat(file).catch(() => undefined))?.isDirectory()) throw refuse(messages.getMessage('reason.isFolder'));
  try {
    await mkdir(dirname(file), { recursive: true });
    await access(dirname(file), constants.W_OK);
  } catch (error) {
    throw refuse(error instanceof Error ? error.message : String(error));
  }
}

export default class RenReport extends SfCommand<RenReportResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': orgTargetFlag({ summary: messages.getMessage('flags.target-org.summary') }),
    'api-version': Flags.orgApiVersion(),
    'orgs-file': Flags.file({ summary: messages.getMessage('flags.orgs-file.summary'), exists: true }),
    // A report only reads, and each org answers for itself (its own API limits): reading a fleet at once costs no
    // org more. 20 reads a typical consultant's fleet in one round (the bench's 20 orgs; at 8 it took three).
    concurrency: Flags.integer({
      summary: messages.getMessage('flags.concurrency.summary'),
      default: 20,
      min: 1,
      max: 32,
    }),
    app: Flags.string({ char: 'a', summary: messages.getMessage('flags.app.summary'), default: 'ren' }),
    definition: Flags.file({ summary: messages.getMessage('flags.definition.summary'), exists: true }),
    'connected-app': Flags.string({ summary: messages.getMessage('flags.connected-app.summary') }),
    format: Flags.option({ summary: messages.getMessage('flags.format.summary'), options: FORMATS })(),
    'output-file': Flags.string({ summary: messages.getMessage('flags.output-file.summary') }),
    redact: Flags.boolean({ summary: messages.getMessage('flags.redact.summary'), default: false }),
  };

  public async run(): Promise<RenReportResult> {
    const { flags } = await this.parse(RenReport);
    // Everything the user gave is checked before any org is read.
    const outputFile = flags['output-file'] ? resolve(flags['output-file']) : undefined;
    const format = flags.format ?? (outputFile ? formatOfFile(outputFile) : undefined);
    if (outputFile && !format) throw messages.createError('error.RenReportFormat', [outputFile]);
    if (format && !outputFile && this.jsonEnabled()) throw messages.createError('error.RenReportNeedsFile', [format]);
    const base = mergeDefinition(await definitionFile(flags.definition));
    const entries = flags['orgs-file'] ? await readOrgsFile(flags['orgs-file']) : [];
    const named =
      flags['target-org'] ??
      (entries.length > 0
        ? []
        : [
            await defaultOrgTarget(this.configAggregator.getPropertyValue<string>('target-org'), () =>
              messages.createError('error.RenReportNoOrgs'),
            ),
          ]);
    const targets = await resolveTargets(named, entries, { base });
    if (outputFile) await prepareOutputFile(outputFile);

    const several = targets.length > 1;
    const report = await collectReport(targets, {
      app: flags.app,
      definitionFile: flags.definition,
      apiVersion: flags['api-version'],
      connectedApp: flags['connected-app'] ? mergeConnectedAppDefinition({ name: flags['connected-app'] }) : undefined,
      redact: flags.redact,
      concurrency: flags.concurrency,
      // Orgs are read at once: a line on stderr as each is done, so a long run shows progress.
      onOrg: (org) => {
        if (several && !this.jsonEnabled())
          this.logToStderr(messages.getMessage('line.org', [org.org, orgStatusText(org.status)]));
      },
    });

    const result: RenReportResult = { ...report };
    if (format && outputFile) {
      // No secret is ever in a report, but an unredacted one names users and orgs: readable by its owner only.
      await writeFile(outputFile, render(report, format), { mode: 0o600 });
      Object.assign(result, { format, outputFile });
    } else if (format) {
      // The document alone on standard output (e.g. `> report.md`); the summary goes to stderr.
      process.stdout.write(render(report, format));
      result.format = format;
    } else {
      this.showTable(report);
    }
    this.finish(report, format && outputFile ? [format, outputFile] : undefined, !format || Boolean(outputFile));
    return result;
  }

  private showTable(report: ReadinessReport): void {
    printTable(this, orgRows(report), { key: ORG_COLUMN });
    const lines = report.orgs.flatMap(problemLines);
    if (lines.length > 0) this.log(`\n${lines.join('\n')}`);
  }

  /** The summary line (on stdout, or stderr when the document itself went to stdout) and the exit code. */
  private finish(report: ReadinessReport, written: [string, string] | undefined, toStdout: boolean): void {
    const { orgs, ready, pending, failing } = report.summary;
    const lines = [
      messages.getMessage('result.summary', [counted(orgs, 'org'), String(ready), String(pending), String(failing)]),
      ...(written ? [messages.getMessage('result.written', written)] : []),
      ...(report.pending ? [messages.getMessage('result.pending')] : []),
    ];
    for (const line of lines) {
      if (toStdout) this.log(line);
      else if (!this.jsonEnabled()) this.logToStderr(line);
    }
    // Failing beats pending: 69 only when no org is failing and some are pending.
    if (!report.ok) process.exitCode = report.pending ? EXIT.notYet : EXIT.failed;
  }
}
