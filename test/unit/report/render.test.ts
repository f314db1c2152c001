/*
 * The report's renderings of one sample report (fixture.ts: a ready org, a failing one with a hostile name and
 * values, a pending one, one that could not be read): structure, escaping, links, and the JUnit shape.
 */
import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { escapeHtml, renderHtml } from '../../../src/report/render/html.js';
import { formatOfFile, render } from '../../../src/report/render/index.js';
import { escapeXml, renderJunit } from '../../../src/report/render/junit.js';
import { escapeMarkdown, renderMarkdown } from '../../../src/report/render/markdown.js';
import { HOSTILE, HOST, sampleReport } from './fixture.js';

const count = (text: string, pattern: RegExp): number => (text.match(pattern) ?? []).length;

describe('report: HTML', () => {
  const report = sampleReport();
  const html = renderHtml(report);

  it('escapes every text from the org: no tag, attribute or entity of it survives', () => {
    expect(html).not.to.include(HOSTILE);
    expect(html).not.to.match(/<script/i);
    expect(html).not.to.match(/<img/i);
    // Attributes only count inside a tag: the escaped text may say "onerror=", no tag may have it.
    expect(html).not.to.match(/<[a-z][^>]*\son\w+\s*=/i);
    expect(html).to.include(escapeHtml(HOSTILE));
    expect(escapeHtml('<a href="x" title=\'y\'>&amp;')).to.equal(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;',
    );
  });

  it('loads nothing: no script, no source, no stylesheet link, no url() or @import, and a CSP forbidding it', () => {
    expect(html).not.to.match(/<[a-z][^>]*\ssrc\s*=/i);
    expect(html).not.to.match(/<link\b/i);
    expect(html).not.to.match(/url\(/i);
    expect(html).not.to.match(/@import/i);
    expect(html).to.include('http-equiv="Content-Security-Policy" content="default-src \'none\';');
    // The only links: in-page anchors and Setup pages in the org's own domain.
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(
      hrefs.filter((h) => !h.startsWith('#org-') && !h.startsWith(`https://${HOST}/lightning/setup/`)),
    ).to.deep.equal([]);
  });

  it('has a summary on top, then one section per org, each failing check with its fix and Setup link', () => {
    expect(html.indexOf('class="summary"')).to.be.lessThan(html.indexOf('class="org"'));
    expect(count(html, /<section class="org"/g)).to.equal(report.orgs.length);
    expect(html).to.include('4 orgs: 1 ready, 1 pending, 2 failing.');
    const failing = html.slice(html.indexOf('id="org-2"'), html.indexOf('id="org-3"'));
    expect(failing).to.include('✖ FAIL</span> <span class="name">Callback URL (callbackUrl)');
    expect(failing).to.include('<dd class="fix">sf ren app create --target-org admin@client2.example.com</dd>');
    expect(failing).to.include(`href="https://${HOST}/lightning/setup/ManageExternalClientApplication/home"`);
    // The status is a word and a symbol, never a colour alone.
    expect(html).to.include('✖ FAILING').and.include('◷ PENDING').and.include('✔ READY').and.include('? CANNOT VERIFY');
  });

  it('prints on A4 with a page per org, and stacks its tables on a phone', () => {
    expect(html).to.match(/@page \{ size: A4;/);
    expect(html).to.match(/\.org \{ break-before: page;/);
    expect(html).to.include('name="viewport" content="width=device-width, initial-scale=1"');
    expect(html).to.match(/@media \(max-width: 40rem\)/);
  });

  it('a Setup link that is not http(s) is shown as text, not as a link', () => {
    const odd = sampleReport();
    const check = odd.orgs[1].checks.find((c) => c.status === 'fail')!;
    check.setup = { ...check.setup!, url: 'javascript:alert(1)' };
    expect(renderHtml(odd)).not.to.include('javascript:');
  });
});

describe('report: Markdown', () => {
  const markdown = renderMarkdown(sampleReport());

  it('escapes Markdown and HTML in every text from the org', () => {
    expect(markdown).not.to.include('<script>');
    expect(markdown).not.to.include('[x](http://evil.example)');
    expect(escapeMarkdown('a|b*c_d [e](f) <g> & `h`\nnext')).to.equal(
      'a\\|b\\*c\\_d \\[e\\]\\(f\\) &lt;g&gt; &amp; \\`h\\` next',
    );
  });

  it('keeps every table row to its columns (pipes in values are escaped)', () => {
    const rows = markdown.split('\n').filter((line) => line.startsWith('|'));
    expect(rows.length).to.be.greaterThan(4);
    for (const row of rows) {
      const cells = row.replace(/\\\|/g, '').split('|').length - 2;
      expect([4, 6], row).to.include(cells);
    }
  });

  it('has the summary, a heading per org, each failing check with its fix and a Setup link', () => {
    expect(markdown).to.include('4 orgs: 1 ready, 1 pending, 2 failing.');
    expect(count(markdown, /^## /gm)).to.equal(1 + 4);
    expect(markdown).to.include('- **✖ FAIL** Callback URL \\(callbackUrl\\)');
    expect(markdown).to.include('  - Fix: sf ren app create --target-org admin@client2.example.com');
    expect(markdown).to.match(
      /- Setup: \[Setup &gt; External Client App Manager [^\]]*\]\(https:\/\/acme\.my\.salesforce\.com\/lightning\/setup\/ManageExternalClientApplication\/home\)/,
    );
  });
});

describe('report: JUnit', () => {
  const report = sampleReport();
  const xml = renderJunit(report);
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  }).parse(xml) as {
    testsuites: {
      tests: string;
      failures: string;
      skipped: string;
      testsuite: Array<{
        name: string;
        tests: string;
        failures: string;
        testcase: Array<{
          name: string;
          classname: string;
          failure?: { message: string };
          skipped?: { message: string };
          'system-out'?: string;
        }>;
      }>;
    };
  };

  it('is well-formed XML even with hostile text and control characters', () => {
    expect(XMLValidator.validate(xml)).to.equal(true);
    expect(escapeXml('a\u0000b\u001bc<"\'>&')).to.equal('abc&lt;&quot;&apos;&gt;&amp;');
  });

  it('has a suite per org and a test case per org and check, with totals that add up', () => {
    const suites = parsed.testsuites.testsuite;
    expect(suites.map((s) => s.name)).to.deep.equal(report.orgs.map((o) => o.org));
    suites.forEach((suite, i) => expect(suite.testcase).to.have.length(report.orgs[i].checks.length));
    const checks = report.orgs.reduce((n, o) => n + o.checks.length, 0);
    expect(Number(parsed.testsuites.tests)).to.equal(checks);
    expect(Number(parsed.testsuites.failures)).to.equal(2);
    expect(Number(parsed.testsuites.skipped)).to.equal(2);
  });

  it('a failed check is a failure with its fix, pending and cannot-verify are skipped with the reason, a warning passes', () => {
    const failing = parsed.testsuites.testsuite[1].testcase;
    const callback = failing.find((t) => t.name === 'Callback URL (callbackUrl)')!;
    expect(callback.classname).to.equal(`${HOSTILE}.app`);
    expect(callback.failure?.message).to.equal(HOSTILE);
    expect(JSON.stringify(callback.failure)).to.include('Fix: sf ren app create');
    const blocked = failing.find((t) => t.name.startsWith('Not blocked'))!;
    expect(blocked.skipped?.message).to.equal('? CANNOT VERIFY: no API shows it');
    const warned = failing.find((t) => t.name.startsWith('Your user can rotate'))!;
    expect(warned.failure).to.equal(undefined);
    expect(warned.skipped).to.equal(undefined);
    expect(warned['system-out']).to.match(/^⚠ WARN: /);
    const probe = parsed.testsuites.testsuite[2].testcase.find((t) => t.name.startsWith('Live OAuth probe'))!;
    expect(probe.skipped?.message).to.match(/^◷ PENDING: invalid_client_id/);
  });
});

describe('report: formats', () => {
  it('json is the result itself', () => {
    const report = sampleReport();
    expect(JSON.parse(render(report, 'json'))).to.deep.equal(report);
  });

  it('an output file names its format by its extension', () => {
    expect(formatOfFile('out/report.HTML')).to.equal('html');
    expect(formatOfFile('report.htm')).to.equal('html');
    expect(formatOfFile('report.md')).to.equal('markdown');
    expect(formatOfFile('report.xml')).to.equal('junit');
    expect(formatOfFile('report.json')).to.equal('json');
    expect(formatOfFile('report.txt')).to.equal(undefined);
    expect(formatOfFile('report')).to.equal(undefined);
  });
});
