import { expect } from 'chai';
import sinon from 'sinon';
import type { Connection } from '@salesforce/core';
import { deleteApp } from '../../../src/eca/deleteApp.js';

describe('deleting the app', () => {
  it('an app the org does not have is "absent", and nothing is sent to the org', async () => {
    const request = sinon.fake();
    const conn = { request, getApiVersion: () => '66.0', metadata: { deploy: request } } as unknown as Connection;
    expect(await deleteApp(conn, { members: [] }, 'ren')).to.deep.equal({ app: 'ren', status: 'absent', deleted: [] });
    expect(request.called).to.equal(false);
  });
});
