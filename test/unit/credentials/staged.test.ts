import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import {
  deleteStaged,
  listStaged,
  orgPath,
  parseStaged,
  rotateStagedIn,
  stageNewPair,
} from '../../../src/credentials/staged.js';
import { INSTANCE, orgError, STAGED_URL, stagedOrg } from './stagedOrg.js';

const failure = async (work: Promise<unknown>): Promise<SfError> =>
  work.then(
    () => expect.fail('should have failed'),
    (error: SfError) => error,
  );

const RECORD = {
  id: '0Sc000000000001AAA',
  state: 'Rotated',
  key: 'previous-key',
  secret: 'previous-secret',
  createdDate: '2025-01-02T03:04:05.000Z',
  expirationDate: '2025-02-01T03:04:05.000Z',
  createdBy: '005000000000001AAA',
  url: `${STAGED_URL}/0Sc000000000001AAA`,
};
const WITHOUT_PAIR = {
  id: RECORD.id,
  state: RECORD.state,
  createdDate: RECORD.createdDate,
  expirationDate: RECORD.expirationDate,
  createdBy: RECORD.createdBy,
};

describe('staged credentials: the shapes the org answers in', () => {
  it('reads the documented collection, without the key and secret', () => {
    const records = parseStaged({ stagedCredentials: [RECORD, { ...RECORD, id: '0Sc2', state: 'Active' }], url: 'x' });
    expect(records).to.deep.equal([WITHOUT_PAIR, { ...WITHOUT_PAIR, id: '0Sc2', state: 'Active' }]);
    expect(JSON.stringify(records)).to.not.include('previous-secret').and.not.include('previous-key');
  });

  it('reads a single object, at the top level or as the collection', () => {
    expect(parseStaged(RECORD)).to.deep.equal([WITHOUT_PAIR]);
    expect(parseStaged({ stagedCredentials: RECORD })).to.deep.equal([WITHOUT_PAIR]);
    expect(parseStaged({ stagedCredentials: [] })).to.deep.equal([]);
  });

  it('reads junk as nothing staged', () => {
    for (const junk of [null, undefined, '', 'staged', 42, [], {}, { url: STAGED_URL }, { stagedCredentials: null }]) {
      expect(parseStaged(junk), JSON.stringify(junk)).to.deep.equal([]);
    }
    // Records without an id cannot be rotated or deleted: they are left out, the others kept.
    expect(parseStaged({ stagedCredentials: [{ state: 'Active' }, null, 7, RECORD] })).to.deep.equal([WITHOUT_PAIR]);
    expect(parseStaged({ id: 5, state: 'Active' })).to.deep.equal([]);
  });
});

describe('staged credentials: only the org’s own REST API is called', () => {
  const { conn } = stagedOrg();

  it('keeps a /services/data/ path of the org, relative or absolute on its own instance', () => {
    expect(orgPath(conn, STAGED_URL)).to.equal(STAGED_URL);
    expect(orgPath(conn, `${INSTANCE}${STAGED_URL}?x=1`)).to.equal(`${STAGED_URL}?x=1`);
  });

  it('refuses another host and a path outside /services/data/, before any request', async () => {
    for (const url of [
      `https://evil.example.com${STAGED_URL}`,
      `http://acme.my.salesforce.com${STAGED_URL}`,
      `//evil.example.com${STAGED_URL}`,
      '/services/apexrest/staged',
      '/services/data/../../secur/frontdoor.jsp',
    ]) {
      const org = stagedOrg();
      expect(() => orgPath(org.conn, url), url).to.throw(/outside its own REST API/);
      for (const work of [
        listStaged(org.conn, url),
        stageNewPair(org.conn, url),
        rotateStagedIn(org.conn, url, '0Sc1'),
        deleteStaged(org.conn, url, '0Sc1'),
      ]) {
        // eslint-disable-next-line no-await-in-loop
        expect((await failure(work)).name, url).to.equal('RenUnexpectedUrlError');
      }
      expect(org.requests, url).to.deep.equal([]);
    }
  });
});

describe('staged credentials: each step read back', () => {
  it('lists nothing when the org answers 404 or the empty collection', async () => {
    for (const getWhenNone of ['404', 'empty'] as const) {
      const org = stagedOrg({ getWhenNone });
      // eslint-disable-next-line no-await-in-loop
      expect(await listStaged(org.conn, STAGED_URL), getWhenNone).to.deep.equal([]);
      expect(org.calls()).to.deep.equal([`GET ${STAGED_URL}`]);
    }
  });

  it('passes on other refusals (the setting, a permission)', async () => {
    const org = stagedOrg({ intercept: () => orgError('FUNCTIONALITY_NOT_ENABLED', 'not currently enabled') });
    expect((await failure(listStaged(org.conn, STAGED_URL))).message).to.include('not currently enabled');
  });

  it('stages a pair by POSTing {} as JSON, then reads back the Active record (either answer shape)', async () => {
    for (const postAnswer of ['collection', 'object'] as const) {
      const org = stagedOrg({ postAnswer, getWhenNone: '404' });
      // eslint-disable-next-line no-await-in-loop
      const staged = await stageNewPair(org.conn, STAGED_URL);
      expect(staged).to.include({ id: org.consumer.staged[0].id, state: 'Active' });
      expect(staged).to.not.have.property('secret');
      expect(org.calls(), postAnswer).to.deep.equal([`POST ${STAGED_URL}`, `GET ${STAGED_URL}`]);
      expect(org.requests[0].body).to.equal('{}');
      expect(org.requests[0].headers).to.deep.equal({ 'content-type': 'application/json' });
    }
  });

  it('a POST the org accepted without an Active record on read-back is an error', async () => {
    const org = stagedOrg({ intercept: (sent) => (sent.method === 'POST' ? { stagedCredentials: [] } : undefined) });
    const error = await failure(stageNewPair(org.conn, STAGED_URL));
    expect(error.name).to.equal('RenStagedMissingError');
    expect(error.message).to.include('nothing was rotated');
  });

  it('rotates in with PATCH {"command":"rotate"}, and reads back that the record is Rotated', async () => {
    const org = stagedOrg({ staged: [{ id: '0Sc1', state: 'Active' }] });
    const previous = await rotateStagedIn(org.conn, STAGED_URL, '0Sc1');
    expect(previous).to.include({ id: '0Sc1', state: 'Rotated' });
    expect(org.calls()).to.deep.equal([`PATCH ${STAGED_URL}/0Sc1`, `GET ${STAGED_URL}`]);
    expect(JSON.parse(org.requests[0].body ?? '')).to.deep.equal({ command: 'rotate' });
    expect(org.consumer.key).to.equal('0Sc1-key');
  });

  it('a rotate the org answered but did not make is an error naming what the org shows', async () => {
    const ignored = stagedOrg({
      staged: [{ id: '0Sc1', state: 'Active' }],
      intercept: (sent) => (sent.method === 'PATCH' ? {} : undefined),
    });
    const error = await failure(rotateStagedIn(ignored.conn, STAGED_URL, '0Sc1'));
    expect(error.name).to.equal('RenStagedNotRotatedError');
    expect(error.message).to.include('0Sc1').and.include('as Active');
    const vanished = stagedOrg({
      staged: [{ id: '0Sc1', state: 'Active' }],
      intercept: (sent, org) => {
        if (sent.method === 'PATCH') org.consumer.staged.splice(0);
        return sent.method === 'PATCH' ? {} : undefined;
      },
    });
    expect((await failure(rotateStagedIn(vanished.conn, STAGED_URL, '0Sc1'))).message).to.include('as gone');
  });

  it('deletes a record and reads back that it is gone', async () => {
    const org = stagedOrg({ staged: [{ id: '0Sc1', state: 'Rotated' }], getWhenNone: '404' });
    await deleteStaged(org.conn, STAGED_URL, '0Sc1');
    expect(org.calls()).to.deep.equal([`DELETE ${STAGED_URL}/0Sc1`, `GET ${STAGED_URL}`]);
    expect(org.consumer.staged).to.deep.equal([]);
  });

  it('a record still listed after its DELETE is an error', async () => {
    const org = stagedOrg({
      staged: [{ id: '0Sc1', state: 'Rotated' }],
      intercept: (sent) => (sent.method === 'DELETE' ? {} : undefined),
    });
    const error = await failure(deleteStaged(org.conn, STAGED_URL, '0Sc1'));
    expect(error.name).to.equal('RenStagedNotDeletedError');
    expect(error.message).to.include('0Sc1');
  });
});
