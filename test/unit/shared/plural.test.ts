import { expect } from 'chai';
import { counted } from '../../../src/shared/plural.js';

describe('counted nouns (shared/plural.ts)', () => {
  it('says "1 check", "0 checks", "2 checks" and the same for every noun', () => {
    expect(counted(1, 'check')).to.equal('1 check');
    expect(counted(0, 'check')).to.equal('0 checks');
    expect(counted(2, 'check')).to.equal('2 checks');
    expect(counted(1, 'org')).to.equal('1 org');
    expect(counted(0, 'minute')).to.equal('0 minutes');
    expect(counted(1, 'minute')).to.equal('1 minute');
    expect(counted(1, 'token')).to.equal('1 OAuth token');
    expect(counted(3, 'user')).to.equal('3 users');
    expect(counted(1, 'warning')).to.equal('1 warning');
    expect(counted(2, 'setting')).to.equal('2 settings');
  });
});
