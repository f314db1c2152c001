import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import {
  INVEN_PRESET,
  definitionProblems,
  mergeDefinition,
  readDefinitionFile,
  refreshTokenPolicyValue,
} from '../../../src/connectedApp/definition.js';
import { type GuideFlagValues, guideFromFlags, setupCommandFor } from '../../../src/connectedApp/flags.js';

/** Flags as oclif would parse them: every flag the command was not given is undefined. */
const given = (flags: Partial<GuideFlagValues>): GuideFlagValues => flags as GuideFlagValues;

async function file(content: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ca-def-'));
  const path = join(dir, 'vendor.json');
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('connected app: the guide as a definition', () => {
  it("is Inven's guide by default: self-authorize, relax IP restrictions, refresh token valid until revoked", () => {
    expect(mergeDefinition()).to.deep.equal(INVEN_PRESET);
    expect(INVEN_PRESET).to.include({
      name: 'Inven',
      permittedUsers: 'AllSelfAuthorized',
      ipRelaxation: 'BYPASS',
      refreshTokenPolicy: 'infinite',
    });
    expect(INVEN_PRESET.firstLogin).to.include('Settings → Integrations → Salesforce → Login to Salesforce');
  });

  it('lets a file and then flags override it, adding up lists and keeping the org spelling of the first name', () => {
    const def = mergeDefinition(
      { name: 'Acme', profiles: ['Sales'], ipRanges: [{ start: '1.1.1.1', end: '1.1.1.2' }] },
      {
        permittedUsers: 'AdminApprovedPreAuthorized',
        profiles: ['sales', 'Support'],
        ipRanges: [{ start: '1.1.1.1', end: '1.1.1.2' }],
        name: undefined,
      },
    );
    expect(def).to.include({ name: 'Acme', permittedUsers: 'AdminApprovedPreAuthorized', ipRelaxation: 'BYPASS' });
    expect(def.profiles).to.deep.equal(['Sales', 'Support']);
    expect(def.ipRanges).to.have.length(1);
    expect(def.firstLogin).to.include('connects Acme to this org once');
  });

  it('writes refresh token policies as the ConnectedApp metadata does, and drops a period a policy does not use', () => {
    expect(
      refreshTokenPolicyValue({
        refreshTokenPolicy: 'specific_inactivity',
        refreshTokenValidity: 30,
        refreshTokenUnit: 'DAYS',
      }),
    ).to.equal('specific_inactivity:30:DAYS');
    expect(refreshTokenPolicyValue({ refreshTokenPolicy: 'zero' })).to.equal('zero');
    expect(mergeDefinition({ refreshTokenValidity: 5, refreshTokenUnit: 'HOURS' })).to.not.have.property(
      'refreshTokenValidity',
    );
    expect(definitionProblems(mergeDefinition({ refreshTokenPolicy: 'specific_lifetime' }))).to.deep.equal([
      'refreshTokenValidity: a specific refresh token policy needs a whole number of units above 0',
      'refreshTokenUnit: a specific refresh token policy needs hours, days or months',
    ]);
  });

  it("reads another vendor's definition file in the flag spellings, and lists every problem of a bad one", async () => {
    const good = await readDefinitionFile(
      await file({
        name: 'Acme',
        permittedUsers: 'admin-approved',
        ipRelaxation: 'enforce',
        refreshTokenPolicy: 'specific-lifetime',
        refreshTokenValidity: 8,
        refreshTokenUnit: 'hours',
        ipRanges: ['3.5.140.0-3.5.140.255', { start: '10.0.0.1', end: '10.0.0.1', description: 'office' }],
        permissionSets: ['Acme_Users'],
      }),
    );
    expect(good.problems).to.deep.equal([]);
    expect(good.input).to.deep.include({
      permittedUsers: 'AdminApprovedPreAuthorized',
      ipRelaxation: 'ENFORCE',
      refreshTokenPolicy: 'specific_lifetime',
      refreshTokenUnit: 'HOURS',
    });
    expect(good.input.ipRanges).to.deep.equal([
      { start: '3.5.140.0', end: '3.5.140.255' },
      { start: '10.0.0.1', end: '10.0.0.1', description: 'office' },
    ]);

    const bad = await readDefinitionFile(
      await file({ consumerKey: 'x', permittedUsers: 'everyone', ipRanges: ['9.9.9.9-1.1.1.1'], profiles: 'Sales' }),
    );
    expect(bad.problems).to.have.length(4);
    expect(bad.problems.join('\n'))
      .to.include('consumerKey: is not a definition field')
      .and.include('"everyone" is not one of')
      .and.include('starts after it ends')
      .and.include('profiles: must be a list');
    expect((await readDefinitionFile(await file('{ nope'))).problems[0]).to.match(/vendor\.json: /);
  });

  it('reads enum values in the External Client App spellings too (the other definition format)', async () => {
    const ecaSpelling = await readDefinitionFile(
      await file({
        permittedUsers: 'AdminApprovedPreAuthorized',
        ipRelaxation: 'Bypass_2factor',
        refreshTokenPolicy: 'SpecificInactivity',
        refreshTokenValidity: 3,
        refreshTokenUnit: 'Days',
      }),
    );
    expect(ecaSpelling.problems).to.deep.equal([]);
    expect(ecaSpelling.input).to.include({
      permittedUsers: 'AdminApprovedPreAuthorized',
      ipRelaxation: 'BYPASS_2FACTOR',
      refreshTokenPolicy: 'specific_inactivity',
      refreshTokenUnit: 'DAYS',
    });
    const ownSpelling = await readDefinitionFile(await file({ ipRelaxation: 'ENFORCE_RELAXREFRESH' }));
    expect(ownSpelling.input.ipRelaxation).to.equal('ENFORCE_RELAXREFRESH');
  });

  it('turns flags into the definition: IP ranges mean "enforce" unless IP relaxation is given', async () => {
    const withRanges = await guideFromFlags(given({ 'ip-range': ['3.5.140.0-3.5.140.255,13.48.0.0-13.63.255.255'] }));
    expect(withRanges.ipRelaxation).to.equal('ENFORCE');
    expect(withRanges.ipRanges).to.have.length(2);
    const explicit = await guideFromFlags(
      given({
        'ip-range': ['3.5.140.0-3.5.140.255'],
        'ip-relaxation': 'enforce-relax-refresh',
      }),
    );
    expect(explicit.ipRelaxation).to.equal('ENFORCE_RELAXREFRESH');
    const path = await file({ name: 'Acme', ipRelaxation: 'bypass' });
    expect((await guideFromFlags(given({ definition: path, 'ip-range': ['1.1.1.1'] }))).ipRelaxation).to.equal(
      'BYPASS',
    );
  });

  it('refuses bad flags with every problem at once', async () => {
    const error = (await guideFromFlags(
      given({
        'ip-range': ['nope', '2.2.2.2-1.1.1.1'],
        'refresh-token-policy': 'specific-inactivity',
      }),
    ).catch((e: SfError) => e)) as SfError;
    expect(error.name).to.equal('RenInvalidConnectedAppDefinitionError');
    expect(error.message)
      .to.include('--ip-range: "nope" is not an IPv4')
      .and.include('2.2.2.2-1.1.1.1 starts after it ends')
      .and.include('refreshTokenValidity');
  });

  it('names the setup command for the fixes, with the app and definition file when they are not the default', () => {
    expect(setupCommandFor('client1', INVEN_PRESET, given({}))).to.equal(
      'sf ren connected-app setup --target-org client1',
    );
    expect(
      setupCommandFor('client1', { ...INVEN_PRESET, name: 'Acme Sync' }, given({ definition: 'acme.json' })),
    ).to.equal("sf ren connected-app setup --target-org client1 --app 'Acme Sync' --definition acme.json");
  });
});
