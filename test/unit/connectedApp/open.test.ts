import { expect } from 'chai';
import type { Org } from '@salesforce/core';
import { openSetupPage } from '../../../src/connectedApp/open.js';

const page = 'https://acme.my.salesforce.com/lightning/setup/ConnectedAppsUsage/home';

function org(frontDoor: (path: string) => Promise<string>): { org: Org; paths: string[] } {
  const paths: string[] = [];
  return {
    org: {
      getFrontDoorUrl: async (path: string) => {
        paths.push(path);
        return frontDoor(path);
      },
    } as unknown as Org,
    paths,
  };
}

describe('connected app: opening a Setup page as sf org open does', () => {
  const saved = {
    SF_CONTAINER_MODE: process.env.SF_CONTAINER_MODE,
    SFDX_CONTAINER_MODE: process.env.SFDX_CONTAINER_MODE,
  };
  let opened: string[];
  const opener = async (url: string) => {
    opened.push(url);
    return { on: () => undefined };
  };
  beforeEach(() => {
    opened = [];
    delete process.env.SF_CONTAINER_MODE;
    delete process.env.SFDX_CONTAINER_MODE;
  });
  after(() => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  it('opens the page through a one-time front door link, logged in', async () => {
    const { org: o, paths } = org(
      async (path) => `https://acme.my.salesforce.com/secur/frontdoor.jsp?otp=abc&startURL=${encodeURIComponent(path)}`,
    );
    expect(await openSetupPage(o, page, opener)).to.deep.equal({ outcome: 'opened', problem: undefined });
    expect(paths).to.deep.equal(['/lightning/setup/ConnectedAppsUsage/home']);
    expect(opened[0]).to.match(/^https:\/\/acme\.my\.salesforce\.com\/secur\/frontdoor\.jsp\?otp=abc/);
  });

  it('opens the plain page when the org gives no front door link', async () => {
    const { org: o } = org(async () => {
      throw new Error('403 Forbidden');
    });
    expect(await openSetupPage(o, page, opener)).to.deep.equal({ outcome: 'opened', problem: '403 Forbidden' });
    expect(opened).to.deep.equal([page]);
  });

  it('opens nothing in container mode', async () => {
    process.env.SF_CONTAINER_MODE = 'true';
    const { org: o, paths } = org(async () => 'never');
    expect(await openSetupPage(o, page, opener)).to.deep.equal({ outcome: 'container-mode' });
    expect(paths).to.deep.equal([]);
    expect(opened).to.deep.equal([]);
  });

  it('reports a browser that cannot be started instead of failing the command', async () => {
    const { org: o } = org(async () => page);
    const result = await openSetupPage(o, page, async () => {
      throw new Error('spawn xdg-open ENOENT');
    });
    expect(result).to.deep.equal({ outcome: 'failed', problem: 'spawn xdg-open ENOENT' });
  });
});
