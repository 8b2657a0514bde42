// The page around every view: the style sheet reaches the browser as written (a font rule put
// through the HTML escaping was dropped whole, and every page fell back to a serif), and every page
// links the accessibility statement.
import { describe, expect, it } from 'vitest';
import { html } from '../../src/web/html.js';
import { page } from '../../src/web/layout.js';

describe('the page layout', () => {
  it('sends the style sheet unescaped, with a sans-serif font rule, and a wide table scrolls in its own box at phone width', () => {
    const out = page({ title: 'Prov', body: html`<p>Text</p>` });
    const css = /<style>([\s\S]*?)<\/style>/.exec(out)![1]!;
    expect(css).toContain('font-family:system-ui,"Segoe UI",Roboto,Arial,sans-serif');
    expect(css).not.toMatch(/&quot;|&#39;|&amp;|&lt;|&gt;/);
    expect(css).toMatch(/@media \(max-width:700px\)\{.*main table\{display:block;overflow-x:auto/);
  });

  it('links the accessibility statement from every page\'s foot', () => {
    expect(page({ title: 'Prov', body: html`` })).toContain('<footer class="noprint"><a href="/tillganglighet">Tillgänglighetsredogörelse</a></footer>');
  });
});
