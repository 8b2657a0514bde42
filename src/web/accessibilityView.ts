// The accessibility statement (tillgänglighetsredogörelse) that lag (2018:1937) om tillgänglighet
// till digital offentlig service asks of a municipality's web services, staff-facing ones too:
// what meets WCAG 2.1 level AA, what does not yet, and how to report a problem. Linked from every
// page's foot; open without signing in.
import type { Routes } from './app.js';
import { html } from './html.js';
import { page } from './layout.js';

/** The day the statement was last reviewed against the app. */
const reviewed = '2026-12-05';

export function accessibilityView(routes: Routes): void {
  routes.add({
    method: 'GET', url: '/tillganglighet', access: 'public',
    handler: async (_request, reply) =>
      reply.type('text/html').send(page({
        title: 'Tillgänglighetsredogörelse',
        body: html`<p>Årshjul är en tjänst för personalen på enheter för ekonomiskt bistånd. Kommunen som använder den ska enligt lagen (2018:1937) om tillgänglighet till digital offentlig service se till att den uppfyller EN 301 549 (WCAG 2.1 nivå AA). Den här redogörelsen säger hur Årshjul uppfyller kraven, vad som ännu inte gör det och hur du anmäler brister.</p>
<h2>Hur tillgänglig är tjänsten?</h2>
<p>Årshjul uppfyller delvis WCAG 2.1 nivå AA. Det som finns:</p>
<ul>
<li>Sidorna är på svenska och säger det (<code>lang="sv"</code>), har en länk direkt till innehållet och tydlig markering av var tangentbordet står.</li>
<li>Allt går att göra med tangentbordet: formulär har etiketter, knappar har text och fel sägs i text, inte bara med färg.</li>
<li>Tabeller har rubrikceller; årshjulets diagram har en tabell med samma siffror bredvid sig.</li>
<li>Sidorna fungerar med förstoring och i smal mobilbredd; breda tabeller rullar i sin egen ruta, som också går att nå och rulla med tangentbordet.</li>
<li>Menyn visar vilken sida du är på, även för skärmläsare.</li>
<li>Varje version av Årshjul granskas automatiskt med verktyget axe-core mot kriterierna i WCAG 2.1 nivå A och AA, på varje sida som varje roll når, i 1 400 och 390 bildpunkters bredd.</li>
</ul>
<h2>Det som inte är tillgängligt ännu</h2>
<ul>
<li>En automatisk granskning hittar bara en del av bristerna: sidorna har ännu inte granskats av en person med skärmläsare och andra hjälpmedel.</li>
<li>Tertialrapporternas PDF-filer är inte granskade för skärmläsare: samma rapport finns som webbsida och som CSV.</li>
<li>Årshjulets hjul och staplar skiljer delvis andelar med färg; siffrorna står alltid i text bredvid.</li>
</ul>
<h2>Anmäl en brist</h2>
<p>Om du stöter på något som hindrar dig: kontakta din enhets administratör eller kommunens förvaltning av Årshjul, och säg vilken sida och vad som hände. Vi svarar inom två veckor. Är du inte nöjd med svaret kan du anmäla det till Myndigheten för digital förvaltning (DIGG), som har tillsyn över lagen.</p>
<p class="meta">Redogörelsen granskades senast ${reviewed}.</p>`,
      })),
  });
}
