import { expect } from 'chai';
import { formatIpRange, ipRangeProblem, parseIpRange, sameIpRange } from '../../../src/connectedApp/ipRanges.js';

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

  it('refuses ranges Setup would refuse, saying why', () => {
    expect(parseIpRange('10.0.0.9-10.0.0.1')).to.deep.equal({ problem: '10.0.0.9-10.0.0.1 starts after it ends' });
    expect(parseIpRange('10.0.0.1-2001:db8::1')).to.deep.equal({ problem: '10.0.0.1-2001:db8::1 mixes IPv4 and IPv6' });
    expect(parseIpRange('10.0.0.256-10.0.1.0')).to.deep.equal({
      problem: '"10.0.0.256" is not an IPv4 or IPv6 address',
    });
    expect(parseIpRange('10.0.0.1-')).to.deep.equal({ problem: '"10.0.0.1-" is not START-END' });
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
