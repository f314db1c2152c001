import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { mergeDefinition, type AppDefinition } from '../../../src/eca/definition.js';
import {
  apiNameProblem,
  definitionShapeProblems,
  readDefinitionFile,
  validateDefinition,
} from '../../../src/eca/validate.js';
import { urlProblem } from '../../../src/shared/urls.js';

const fieldsWithProblems = (overrides: Partial<AppDefinition>): string[] =>
  validateDefinition(mergeDefinition(overrides)).map((p) => p.field);

describe('definition validation', () => {
  it("accepts Ren's defaults", () => {
    expect(validateDefinition(mergeDefinition())).to.deep.equal([]);
  });

  describe('API name rules', () => {
    for (const good of ['ren', 'Ren_App', 'a1', 'x'.repeat(40)]) {
      it(`accepts ${good.length > 10 ? '40 characters' : good}`, () =>
        expect(apiNameProblem(good)).to.equal(undefined));
    }
    const bad: Array<[string, RegExp]> = [
      ['', /empty/],
      ['1ren', /begin with a letter/],
      ['_ren', /begin with a letter/],
      ['ren app', /letters, digits and underscores/],
      ['ren-app', /letters, digits and underscores/],
      ['ren_', /end with an underscore/],
      ['ren__app', /two consecutive underscores/],
      ['x'.repeat(41), /limit is 40/],
    ];
    for (const [name, reason] of bad) {
      it(`rejects "${name.length > 10 ? '41 characters' : name}"`, () => expect(apiNameProblem(name)).to.match(reason));
    }
  });

  it('names every rule an API name breaks at once', () => {
    expect(apiNameProblem('1bad__name_')).to.equal(
      'must begin with a letter; must not end with an underscore; must not contain two consecutive underscores',
    );
    expect(apiNameProblem(`_${'x'.repeat(40)}-`)).to.equal(
      'is 42 characters long; the limit is 40; must begin with a letter; may contain only letters, digits and underscores',
    );
  });

  it('rejects a malformed contact email', () => {
    expect(fieldsWithProblems({ contactEmail: 'support-at-rensystems.com' })).to.deep.equal(['contactEmail']);
    expect(fieldsWithProblems({ contactEmail: 'a b@c.com' })).to.deep.equal(['contactEmail']);
  });

  it('requires https callback URLs, allowing http only on loopback', () => {
    expect(fieldsWithProblems({ callbackUrl: 'http://app.rensystems.com/cb' })).to.deep.equal(['callbackUrl']);
    expect(fieldsWithProblems({ callbackUrl: 'not a url' })).to.deep.equal(['callbackUrl']);
    expect(fieldsWithProblems({ callbackUrl: 'http://localhost:8080/cb' })).to.deep.equal([]);
    expect(fieldsWithProblems({ callbackUrl: 'http://127.0.0.1/cb' })).to.deep.equal([]);
  });

  it('requires https for info, icon and logo URLs', () => {
    expect(
      fieldsWithProblems({ infoUrl: 'http://rensystems.com', iconUrl: 'ftp://x/y.png', logoUrl: 'x' }),
    ).to.deep.equal(['infoUrl', 'iconUrl', 'logoUrl']);
    expect(urlProblem('http://localhost/x')).to.match(/https/);
  });

  it('rejects unknown scopes and an empty scope list', () => {
    const problems = validateDefinition(mergeDefinition({ scopes: ['Basic', 'Bogus' as never] }));
    expect(problems).to.have.length(1);
    expect(problems[0].message).to.match(/"Bogus"/);
    expect(fieldsWithProblems({ scopes: [] })).to.deep.equal(['scopes']);
  });

  it('accepts the scopes orgs list as valid beyond the reference (CDP, DataCloudUserClaims)', () => {
    expect(validateDefinition(mergeDefinition({ scopes: ['Api', 'CDP', 'DataCloudUserClaims'] }))).to.deep.equal([]);
  });

  it('says which scope was meant for a near miss, and lists the known scopes only when it cannot guess', () => {
    const [near] = validateDefinition(mergeDefinition({ scopes: ['Api', 'refresh-token', 'Chatbott'] as never }));
    expect(near.field).to.equal('scopes');
    expect(near.message).to.equal(
      'unknown scope "refresh-token" (did you mean "RefreshToken"?), "Chatbott" (did you mean "Chatbot"?)',
    );
    const [far] = validateDefinition(mergeDefinition({ scopes: ['Bogus'] as never }));
    expect(far.message).to.match(/^unknown scope "Bogus"; known scopes: Basic, Api, /);
  });

  it("accepts a scope's OAuth name in a definition file, stored by its metadata name", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ren-def-'));
    const file = join(dir, 'scopes.json');
    await writeFile(file, JSON.stringify({ scopes: ['id', 'api', 'refresh_token', 'offline_access', 'Basic'] }));
    expect(await readDefinitionFile(file)).to.deep.equal({
      definition: { scopes: ['Basic', 'Api', 'RefreshToken', 'OfflineAccess'] },
      problems: [],
    });
  });

  it('rejects enum values Salesforce does not know', () => {
    expect(
      fieldsWithProblems({
        distributionState: 'Managed' as never,
        startPage: 'Home' as never,
        permittedUsers: 'Everyone' as never,
        refreshTokenPolicy: 'Forever' as never,
        ipRelaxation: 'Relax' as never,
      }),
    ).to.deep.equal(['distributionState', 'startPage', 'permittedUsers', 'refreshTokenPolicy', 'ipRelaxation']);
  });

  it('needs a start URL exactly when the start page is Custom', () => {
    expect(fieldsWithProblems({ startPage: 'Custom' })).to.deep.equal(['startUrl']);
    expect(fieldsWithProblems({ startPage: 'Custom', startUrl: 'https://rensystems.com/start' })).to.deep.equal([]);
    expect(fieldsWithProblems({ startUrl: 'https://rensystems.com/start' })).to.deep.equal(['startUrl']);
  });

  it('needs a validity period and unit for specific refresh token policies only', () => {
    expect(fieldsWithProblems({ refreshTokenPolicy: 'SpecificLifetime' })).to.deep.equal([
      'refreshTokenValidityPeriod',
      'refreshTokenValidityUnit',
    ]);
    expect(
      fieldsWithProblems({
        refreshTokenPolicy: 'SpecificLifetime',
        refreshTokenValidityPeriod: 4,
        refreshTokenValidityUnit: 'Hours',
      }),
    ).to.deep.equal([]);
    expect(fieldsWithProblems({ refreshTokenValidityPeriod: 4 })).to.deep.equal(['refreshTokenValidityPeriod']);
  });

  it('pre-authorizes profiles only for admin-approved users', () => {
    expect(fieldsWithProblems({ permittedUsers: 'AllSelfAuthorized', profiles: ['Sales'] })).to.deep.equal([
      'permittedUsers',
    ]);
    expect(fieldsWithProblems({ profiles: ['Sales, Support'] })).to.deep.equal(['profiles']);
  });

  describe('definition files', () => {
    it('rejects unknown fields, naming the consumer key as generated', () => {
      const problems = definitionShapeProblems({ label: 'Acme', consumerKey: 'abc', colour: 'red' });
      expect(problems.map((p) => p.field)).to.deep.equal(['consumerKey', 'colour']);
      expect(problems[0].message).to.match(/Salesforce generates/);
    });

    it('rejects wrong JSON types', () => {
      const problems = definitionShapeProblems({
        label: 3,
        requirePkce: 'yes',
        scopes: 'Basic',
        refreshTokenValidityPeriod: '4',
      });
      expect(problems.map((p) => p.field)).to.deep.equal([
        'label',
        'requirePkce',
        'scopes',
        'refreshTokenValidityPeriod',
      ]);
      expect(definitionShapeProblems([])[0].message).to.match(/JSON object/);
    });

    it('reads a valid file and reports unreadable or broken ones', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ren-def-'));
      const good = join(dir, 'good.json');
      await writeFile(good, JSON.stringify({ label: 'Acme', apiName: 'acme', scopes: ['Api'] }));
      expect(await readDefinitionFile(good)).to.deep.equal({
        definition: { label: 'Acme', apiName: 'acme', scopes: ['Api'] },
        problems: [],
      });
      const broken = join(dir, 'broken.json');
      await writeFile(broken, '{ "label": ');
      expect((await readDefinitionFile(broken)).problems[0].message).to.match(/not valid JSON/);
      expect((await readDefinitionFile(join(dir, 'missing.json'))).problems[0].message).to.match(/cannot read/);
    });

    it('reads enum values in the flag spelling, either Metadata API spelling, any case', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ren-def-'));
      const flagSpelling = join(dir, 'flags.json');
      await writeFile(
        flagSpelling,
        JSON.stringify({
          permittedUsers: 'admin-approved',
          refreshTokenPolicy: 'specific-lifetime',
          refreshTokenValidityUnit: 'hours',
          ipRelaxation: 'bypass-2fa',
          startPage: 'none',
          distributionState: 'local',
        }),
      );
      // The connected-app metadata spellings (the other definition format) mean the same values.
      const connectedAppSpelling = join(dir, 'connected-app.json');
      await writeFile(
        connectedAppSpelling,
        JSON.stringify({
          permittedUsers: 'AdminApprovedPreAuthorized',
          refreshTokenPolicy: 'specific_lifetime',
          refreshTokenValidityUnit: 'HOURS',
          ipRelaxation: 'BYPASS_2FACTOR',
          startPage: 'NONE',
          distributionState: 'Local',
        }),
      );
      const expected = {
        permittedUsers: 'AdminApprovedPreAuthorized',
        refreshTokenPolicy: 'SpecificLifetime',
        refreshTokenValidityUnit: 'Hours',
        ipRelaxation: 'Bypass_2factor',
        startPage: 'None',
        distributionState: 'Local',
      };
      expect((await readDefinitionFile(flagSpelling)).definition).to.deep.equal(expected);
      expect((await readDefinitionFile(connectedAppSpelling)).definition).to.deep.equal(expected);
    });

    it('names the documented flag spellings for a value it does not know', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ren-def-'));
      const path = join(dir, 'bad.json');
      await writeFile(path, JSON.stringify({ permittedUsers: 'everyone', ipRelaxation: 'sometimes' }));
      expect((await readDefinitionFile(path)).problems).to.deep.equal([
        { field: 'permittedUsers', message: '"everyone" is not one of admin-approved, all-self-authorized' },
        {
          field: 'ipRelaxation',
          message: '"sometimes" is not one of enforce, bypass, bypass-2fa, enforce-relax-refresh',
        },
      ]);
    });
  });
});
