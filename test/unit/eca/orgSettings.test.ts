import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { allowCodeCredentialsFlows } from '../../../src/eca/orgSettings.js';

describe('the org flow switch (OauthOidcSettings)', () => {
  it('is a settings file that carries only oAuthCdCrdtFlowEnable=true, so no other OAuth setting changes', () => {
    const { file } = allowCodeCredentialsFlows(false);
    expect(file.path).to.equal('settings/OauthOidc.settings-meta.xml');
    const parsed = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(file.content) as Record<
      string,
      Record<string, unknown>
    >;
    expect(parsed.OauthOidcSettings).to.deep.equal({
      '@_xmlns': 'http://soap.sforce.com/2006/04/metadata',
      oAuthCdCrdtFlowEnable: 'true',
    });
  });

  it('is listed as a change from what the org said (undefined when it did not say)', () => {
    expect(allowCodeCredentialsFlows(false).change).to.deep.equal({
      type: 'OauthOidcSettings',
      fullName: 'OauthOidc',
      field: 'oAuthCdCrdtFlowEnable',
      before: false,
      after: true,
    });
    expect(allowCodeCredentialsFlows(undefined).change.before).to.equal(undefined);
  });

  it('deploys as the Settings component OauthOidc (how source-deploy-retrieve reads the file)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ren-settings-'));
    try {
      const { file } = allowCodeCredentialsFlows(false);
      await mkdir(dirname(join(root, file.path)), { recursive: true });
      await writeFile(join(root, file.path), file.content);
      const members = ComponentSet.fromSource(root)
        .toArray()
        .map((c) => `${c.type.name}:${c.fullName}`);
      expect(members).to.deep.equal(['Settings:OauthOidc']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
