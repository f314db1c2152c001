/*
 * The HTML report in a real browser: `sf ren report` over the fleet (reportFleet.ts), opened in headless Chromium
 * (chromium.ts) at phone and desktop widths. Screenshots and the printed PDF are left in test-output/report/ for a
 * person to look at. It checks what the page shows (a summary on top, one section per org, each failing check
 * with its fix and Setup link), that it reads on a phone without scrolling sideways, that it prints on A4 with a
 * page per org, and that it asked for nothing but itself.
 *
 * Skipped, saying why, only where no Chromium is installed; .ci/run installs Debian's chromium, so CI never skips.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { repoRoot } from './harness.js';
import { type Browser, findChromium, launchChromium, type Page } from './chromium.js';
import { DRIFTED_CALLBACK, type ReportFleet, startReportFleet } from './reportFleet.js';

const OUTPUT = join(repoRoot, 'test-output', 'report');

type OrgSection = {
  id: string;
  name: string;
  status: string;
  toFix: Array<{ name: string; fix: string | null; setup: string | null }>;
};

/** What the page shows of each org, read from the rendered DOM. */
const SECTIONS = `[...document.querySelectorAll('section.org')].map((section) => ({
  id: section.id,
  name: section.querySelector('h2 .name').textContent,
  status: section.querySelector('h2 .status').textContent,
  toFix: [...section.querySelectorAll('.to-fix .problem')].map((problem) => ({
    name: problem.querySelector('h4 .name').textContent,
    fix: problem.querySelector('.fix')?.textContent ?? null,
    setup: problem.querySelector('a')?.href ?? null,
  })),
}))`;

describe('sf ren report --format html in a real browser (headless Chromium)', function () {
  this.timeout(300_000);
  const chromium = findChromium() ?? '';
  let fleet: ReportFleet;
  let browser: Browser;
  let pageUrl: string;

  before(async function () {
    if (!chromium) {
      // eslint-disable-next-line no-console
      console.warn('    skipped: no Chromium on this machine (apt-get install -y chromium; .ci/run installs it)');
      this.skip();
    }
    fleet = await startReportFleet();
    await mkdir(OUTPUT, { recursive: true });
    const file = join(OUTPUT, 'report.html');
    const run = await fleet.session.sf(['ren', 'report', ...fleet.all, '--format', 'html', '--output-file', file]);
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    pageUrl = pathToFileURL(file).href;
    browser = await launchChromium(chromium);
  });
  after(async () => {
    await browser?.close();
    await fleet?.session.close();
  });

  async function open(width: number, height: number, mobile: boolean): Promise<Page> {
    const page = await browser.page();
    await page.viewport(width, height, mobile);
    await page.open(pageUrl);
    return page;
  }

  it('at desktop width: a summary on top, one section per org, each failing check with its fix and Setup link', async () => {
    const page = await open(1280, 900, false);
    await writeFile(join(OUTPUT, 'desktop.png'), await page.screenshot());
    const summary = await page.evaluate<string>("document.querySelector('section.summary').innerText");
    expect(summary).to.include('4 orgs: 1 ready, 1 pending, 2 failing.');
    const first = await page.evaluate<string>("document.querySelector('main > section').className");
    expect(first).to.equal('summary');
    const sections = await page.evaluate<OrgSection[]>(SECTIONS);
    expect(sections.map((s) => [s.name, s.status])).to.deep.equal([
      [fleet.session.alias, '✔ READY'],
      ['drift', '✖ FAILING'],
      ['fresh', '◷ PENDING'],
      ['nosuchorg', '✖ FAILING'],
    ]);
    const drift = sections[1].toFix.find((p) => p.name.startsWith('Callback URL'));
    expect(drift?.fix).to.equal('sf ren app create --target-org drift');
    expect(drift?.setup).to.equal(`${fleet.emulators[1].url}/lightning/setup/ManageExternalClientApplication/home`);
    expect(await page.evaluate<string>("document.getElementById('org-2').innerText")).to.include(DRIFTED_CALLBACK);
    // Every failing check of every org is listed with a fix.
    for (const section of sections)
      for (const problem of section.toFix) expect(problem.fix, problem.name).to.be.a('string');
    expect(sections[3].toFix).to.have.length(1);
    // Asked for nothing but itself.
    expect(page.requests).to.deep.equal([pageUrl]);
  });

  it('at phone width: nothing scrolls sideways, the tables stack, the words stay', async () => {
    const page = await open(390, 844, true);
    await writeFile(join(OUTPUT, 'phone.png'), await page.screenshot());
    const widths = await page.evaluate<{ scroll: number; inner: number }>(
      '({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })',
    );
    expect(widths.inner).to.equal(390);
    expect(widths.scroll, 'horizontal scroll on a phone').to.be.at.most(widths.inner);
    const head = await page.evaluate<string>("getComputedStyle(document.querySelector('table.orgs thead')).display");
    expect(head).to.equal('none');
    const text = await page.evaluate<string>('document.body.innerText');
    expect(text).to.include('✖ FAILING').and.include('◷ PENDING').and.include('✔ READY');
    expect(page.requests).to.deep.equal([pageUrl]);
  });

  it('prints on A4, each org on its own page', async () => {
    const page = await open(1280, 900, false);
    const pdf = await page.pdf();
    await writeFile(join(OUTPUT, 'report.pdf'), pdf);
    const text = pdf.toString('latin1');
    const pages = text.match(/\/Type\s*\/Page\b/g) ?? [];
    // The summary's page, then at least one page per org.
    expect(pages.length).to.be.at.least(1 + 4);
    // A4 in points: 595 x 842.
    expect(text).to.match(/\/MediaBox\s*\[\s*0 0 59[45](\.\d+)? 84[12](\.\d+)?\s*\]/);
  });
});
