import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';

const folder = new URL('../../messages/', import.meta.url);

/** The command lines of each messages file's examples section (the indented lines under each "- description:"). */
function exampleLines(): Array<{ file: string; line: string }> {
  return readdirSync(folder)
    .filter((file) => file.endsWith('.md'))
    .flatMap((file) => {
      const text = readFileSync(new URL(file, folder), 'utf8');
      const section = /# examples\n([\s\S]*?)(?:\n# |$)/.exec(text)?.[1] ?? '';
      return section
        .split('\n')
        .filter((line) => line.startsWith('  ') && line.trim() !== '')
        .map((line) => ({ file, line: line.trim() }));
    });
}

describe('help examples', () => {
  it('every example command starts with the sf binary, so oclif prints it as a command (indented, with $)', () => {
    const lines = exampleLines();
    expect(lines.length).to.be.above(20);
    expect(lines.filter(({ line }) => !line.startsWith('<%= config.bin %>'))).to.deep.equal([]);
  });
});
