import { expect } from 'chai';
import { parseAge } from '../../../src/shared/age.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('ages as schedules write them (--if-older-than)', () => {
  it('reads hours, days and weeks; a bare number is days', () => {
    expect(parseAge('12h')).to.equal(12 * HOUR);
    expect(parseAge('90d')).to.equal(90 * DAY);
    expect(parseAge('2w')).to.equal(14 * DAY);
    expect(parseAge('7')).to.equal(7 * DAY);
  });

  it('takes any letter case and spaces around and between', () => {
    expect(parseAge(' 3D ')).to.equal(3 * DAY);
    expect(parseAge('1 W')).to.equal(7 * DAY);
    expect(parseAge('36H')).to.equal(36 * HOUR);
  });

  it('refuses zero, negative, fractional, unknown units and text', () => {
    for (const text of ['0', '0d', '-1d', '1.5d', 'd', '', '   ', '90m', '1y', '90 days', 'd90', '1e3d', '12h30']) {
      expect(parseAge(text), JSON.stringify(text)).to.equal(undefined);
    }
  });
});
