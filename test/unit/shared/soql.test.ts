import { expect } from 'chai';
import { soqlString } from '../../../src/shared/soql.js';

describe('SOQL string literals', () => {
  it('quotes and escapes user input', () => {
    expect(soqlString('Sales')).to.equal("'Sales'");
    expect(soqlString("O'Brien")).to.equal("'O\\'Brien'");
    expect(soqlString('a\\b')).to.equal("'a\\\\b'");
    expect(soqlString("x' OR Name != '")).to.equal("'x\\' OR Name != \\''");
  });
});
