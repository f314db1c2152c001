/*
 * The plugin as users get it: `npm pack`, then `sf plugins install` of the tarball into a clean sf (no link),
 * then a command against the emulator. The tarball holds only what ships, and installing it prints no warning.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { packPlugin, startSfSession, type PackedPlugin, type SfSession } from './harness.js';

describe('the packed plugin, installed with sf plugins install (end to end)', function () {
  this.timeout(600_000);
  let packDir: string;
  let packed: PackedPlugin;
  let session: SfSession;

  before(async () => {
    packDir = mkdtempSync(join(tmpdir(), 'ren-pack-'));
    packed = await packPlugin(packDir);
    session = await startSfSession({ installTarball: packed.tarball });
  });
  after(async () => {
    await session?.close();
    rmSync(packDir, { recursive: true, force: true });
  });

  it('ships only lib, messages, schemas and the manifest (with package.json and README)', () => {
    const outside = packed.files.filter(
      (file) =>
        !/^(lib|messages|schemas)\//.test(file) &&
        !['oclif.manifest.json', 'package.json', 'README.md', 'LICENSE', 'LICENSE.txt'].includes(file),
    );
    expect(outside).to.deep.equal([]);
    expect(packed.files.filter((file) => /emulator|\.ts$/.test(file) && !file.endsWith('.d.ts'))).to.deep.equal([]);
    expect(packed.files).to.include.members([
      'oclif.manifest.json',
      'lib/commands/ren/app/create.js',
      'messages/ren.app.create.md',
      'schemas/ren-app-create.json',
    ]);
  });

  it('installs into a clean sf without a warning', () => {
    expect(session.installOutput).to.include('installed');
    expect(session.installOutput).not.to.match(/warning/i);
  });

  it('runs from the installed package against an org', async () => {
    const help = await session.sf(['ren', 'app', 'create', '--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.include("Create Ren's External Client App");
    const created = await session.sf(['ren', 'app', 'create', '--target-org', session.alias, '--json']);
    expect(created.code, created.stdout).to.equal(0);
    expect((created.json as { result: { status: string } }).result.status).to.equal('created');
    const plugins = await session.sf(['plugins']);
    expect(plugins.stdout).to.match(/plugin-ren 0\.\d+\.\d+/);
    expect(plugins.stdout).not.to.include('(link)');
  });
});
