// The page around every view: the style sheet reaches the browser as written (a font rule put
// through the HTML escaping was dropped whole, and every page fell back to a serif), and every page
// links the accessibility statement.
import { describe, expect, it } from 'vitest';
import { html } from '../../src/web/html.js';
import type { User } from '../../src/web/accounts.js';
import { page, scrollBox } from '../../src/web/layout.js';

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

  it('marks the menu item of the page the person is on, and the section of a page further in', () => {
    const user: User & { csrf: string; path?: string } = { unitId: 'u', staffId: 'bec-01', name: 'Biträdande enhetschef 1', role: 'bitradande-enhetschef', access: ['deputy'], csrf: 'x' };
    const menu = (path: string) => /<nav aria-label="Meny">(.*?)<\/nav>/.exec(page({ title: 'Prov', user: { ...user, path }, body: html`` }))![1]!;
    expect(menu('/oversikt')).toContain('<a href="/oversikt" aria-current="page">Årshjulet</a>');
    expect(menu('/oversikt/uppgifter')).toContain('<a href="/oversikt" aria-current="true">Årshjulet</a>');
    expect(menu('/rapporter')).toContain('<a href="/rapporter" aria-current="page">Rapporter</a>');
    // One item at most, and none on a page outside the menu.
    expect(menu('/rapporter').match(/aria-current/g)).toHaveLength(1);
    expect(menu('/uppgifter/abc')).not.toContain('aria-current');
    // Seen, not only heard: the marked item has a style of its own.
    expect(page({ title: 'Prov', body: html`` })).toMatch(/header nav a\[aria-current\]\{[^}]*border-bottom-color:#fff/);
  });

  it('puts a wide table in a named box of its own that the keyboard reaches', () => {
    expect(scrollBox('Reglerna', html`<table></table>`).value).toBe('<div class="scroll" role="region" aria-label="Reglerna" tabindex="0"><table></table></div>');
    expect(page({ title: 'Prov', body: html`` })).toContain('.scroll{overflow-x:auto;max-width:100%}');
  });
});
