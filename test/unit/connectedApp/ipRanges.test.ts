import { expect } from 'chai';
import {
  formatIpRange,
  IP_RANGE_FORMS,
  ipRangeProblem,
  parseIpRange,
  sameIpRange,
} from '../../../src/connectedApp/ipRanges.js';

describe('connected app: trusted IP ranges', () => {
  it('parses START-END for IPv4 and IPv6, and a single address as a range of one', () => {
    expect(parseIpRange(' 3.5.140.0 - 3.5.140.255 ')).to.deep.equal({
      range: { start: '3.5.140.0', end: '3.5.140.255' },
    });
    expect(parseIpRange('2001:db8::1-2001:db8::ff')).to.deep.equal({
      range: { start: '2001:db8::1', end: '2001:db8::ff' },
    });
    expect(parseIpRange('10.1.2.3')).to.deep.equal({ range: { start: '10.1.2.3', end: '10.1.2.3' } });
  });

  it('takes a CIDR block as the range it covers, IPv4 and IPv6', () => {
    expect(parseIpRange('3.5.140.0/24')).to.deep.equal({ range: { start: '3.5.140.0', end: '3.5.140.255' } });
    expect(parseIpRange(' 10.0.0.0 / 8 ')).to.deep.equal({ range: { start: '10.0.0.0', end: '10.255.255.255' } });
    expect(parseIpRange('52.95.245.7/32')).to.deep.equal({ range: { start: '52.95.245.7', end: '52.95.245.7' } });
    expect(parseIpRange('2600:1f18:4000::/64')).to.deep.equal({
      range: { start: '2600:1f18:4000::', end: '2600:1f18:4000:0:ffff:ffff:ffff:ffff' },
    });
    expect(parseIpRange('2001:db8:0:1::/128')).to.deep.equal({
      range: { start: '2001:db8:0:1::', end: '2001:db8:0:1::' },
    });
    expect(parseIpRange('::/0')).to.deep.equal({
      range: { start: '::', end: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' },
    });
  });

  it('refuses a CIDR block with host bits, a bad prefix or a bad address, naming the accepted forms', () => {
    expect(parseIpRange('3.5.140.7/24')).to.deep.equal({
      problem: '"3.5.140.7/24" is not the start of its block (did you mean "3.5.140.0/24"?)',
    });
    expect(parseIpRange('3.5.140.0/33')).to.deep.equal({
      problem: `"3.5.140.0/33" has no prefix length from 0 to 32 after the "/"; ${IP_RANGE_FORMS}`,
    });
    expect(parseIpRange('2001:db8::/')).to.deep.equal({
      problem: `"2001:db8::/" has no prefix length from 0 to 128 after the "/"; ${IP_RANGE_FORMS}`,
    });
    expect(parseIpRange('3.5.140/24')).to.deep.equal({
      problem: `"3.5.140" is not an IPv4 or IPv6 address; ${IP_RANGE_FORMS}`,
    });
    expect(IP_RANGE_FORMS).to.match(/START-END.*CIDR.*single address/);
  });

  it('refuses ranges Setup would refuse, saying why', () => {
    expect(parseIpRange('10.0.0.9-10.0.0.1')).to.deep.equal({ problem: '10.0.0.9-10.0.0.1 starts after it ends' });
    expect(parseIpRange('10.0.0.1-2001:db8::1')).to.deep.equal({ problem: '10.0.0.1-2001:db8::1 mixes IPv4 and IPv6' });
    expect(parseIpRange('10.0.0.256-10.0.1.0')).to.deep.equal({
      problem: `"10.0.0.256" is not an IPv4 or IPv6 address; ${IP_RANGE_FORMS}`,
    });
    expect(parseIpRange('10.0.0.1-')).to.deep.equal({ problem: `"10.0.0.1-" is not START-END; ${IP_RANGE_FORMS}` });
    expect(ipRangeProblem({ start: '::ffff:10.0.0.2', end: '::ffff:10.0.0.1' })).to.equal(
      '::ffff:10.0.0.2-::ffff:10.0.0.1 starts after it ends',
    );
    expect(ipRangeProblem({ start: '2001:db8::ff', end: '2001:db8::1:0' })).to.equal(undefined);
  });

  it('compares ranges by their addresses, not their spelling', () => {
    expect(
      sameIpRange({ start: '2001:DB8:0:0::1', end: '2001:db8::00ff' }, { start: '2001:db8::1', end: '2001:db8::ff' }),
    ).to.equal(true);
    expect(sameIpRange({ start: '10.0.0.1', end: '10.0.0.2' }, { start: '10.0.0.1', end: '10.0.0.3' })).to.equal(false);
    expect(formatIpRange({ start: '1.2.3.4', end: '1.2.3.5' })).to.equal('1.2.3.4-1.2.3.5');
  });
});
