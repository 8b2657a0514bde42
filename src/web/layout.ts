// The page around every view: Swedish, keyboard-first (a skip link, visible focus), the menu of
// what the signed-in person may open, and the CSRF token for the page's forms.
import { Type, type Static } from 'typebox';
import { isHead, type User } from './accounts.js';
import { today } from '../calendar/businessDays.js';
import { html, raw, type Html } from './html.js';

const css = `
*{box-sizing:border-box}body{font-family:system-ui,"Segoe UI",Roboto,Arial,sans-serif;font-size:16px;line-height:1.5;margin:0;color:#1b1b1b;background:#f6f7f9}
h1{font-size:1.75rem;line-height:1.25;margin:0.4em 0 0.6em}h2{font-size:1.3rem;margin:1.4em 0 0.4em}h3{font-size:1.1rem}small{color:#555}
h1,h2,h3,p,li{overflow-wrap:break-word;hyphens:auto}
a{color:#004c8c}a:focus,button:focus,input:focus,select:focus,textarea:focus,[tabindex]:focus{outline:3px solid #f5a623;outline-offset:1px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px}
header{background:#004c8c;color:#fff;padding:10px 24px;display:flex;gap:18px;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none}header a:hover{text-decoration:underline}header nav{display:flex;gap:16px;flex:1;flex-wrap:wrap}header form{margin:0}
header nav a{padding:2px 0;border-bottom:3px solid transparent}header nav a[aria-current]{font-weight:700;border-bottom-color:#fff}
main{padding:16px 24px 40px;max-width:1240px}
table{border-collapse:collapse;margin:8px 0 20px;background:#fff;font-size:14px}td,th{border-bottom:1px solid #d6d9de;padding:6px 10px;text-align:left;vertical-align:top}
thead th{background:#eef1f5;border-bottom:2px solid #b9c0ca;font-weight:600}tbody tr:hover{background:#f3f7fb}
.n{text-align:right;font-variant-numeric:tabular-nums}.nowrap{white-space:nowrap}.overdue{color:#b00020;font-weight:bold}.error{background:#fde7e9;border:1px solid #b00020;padding:8px 12px}
.ok{background:#e6f4ea;border:1px solid #2e7d32;padding:8px 12px}.info{background:#eef4fb;border:1px solid #8fb3d9;padding:8px 12px}
fieldset{border:1px solid #c3c8cf;margin:8px 0;background:#fff}
.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:flex-end;background:#fff;border:1px solid #d6d9de;padding:10px 12px;margin:8px 0}.filters label{display:flex;flex-direction:column;font-size:14px;max-width:100%}
select,input{max-width:100%}.scroll{overflow-x:auto;max-width:100%}.scroll>table{margin-bottom:4px}
button{padding:5px 14px;font-size:14px}textarea{width:100%;max-width:600px}details{margin:6px 0}figure{margin:8px 0}figcaption{font-size:14px;color:#444}
.printonly{display:none}footer{padding:8px 24px 24px;font-size:14px}
.scroll{overflow-x:auto;max-width:100%}.pair{display:flex;flex-wrap:wrap;gap:0 32px}caption{text-align:left;font-weight:600;padding:4px 0}tr.group th{background:#f3f4f6;font-weight:600}
@media (max-width:700px){main{padding:12px}header{padding:8px 12px;gap:4px 12px;font-size:15px}header span{flex:1;min-width:0}header nav{order:1;flex-basis:100%;gap:2px 14px}main table{display:block;overflow-x:auto;max-width:100%}main .scroll>table{display:table;max-width:none}}
@media print{header,form,.noprint,.skip{display:none}.printonly{display:block;font-size:12px;border-bottom:1px solid #999}body{background:#fff}main{padding:0}a{color:inherit;text-decoration:none}table{font-size:11px}}
`;

const menu: { href: string; label: string; who: (u: User) => boolean }[] = [
  { href: '/inkorg', label: 'Min inkorg', who: (u) => u.access.some((a) => a !== 'admin') },
  { href: '/oversikt', label: 'Årshjulet', who: isHead },
  { href: '/internkontroll', label: 'Internkontroll', who: (u) => isHead(u) || u.access.includes('fut') || u.access.includes('logreviewer') },
  { href: '/rapporter', label: 'Rapporter', who: isHead },
  { href: '/nyckeltal', label: 'Nyckeltal', who: isHead },
  { href: '/regler', label: 'Regler', who: (u) => u.access.includes('admin') },
  { href: '/logg', label: 'Åtkomstlogg', who: (u) => isHead(u) || u.access.includes('logreviewer') },
  { href: '/kalender', label: 'Kalender', who: (u) => u.access.some((a) => a !== 'admin') },
];

/** `goTo`: a path of our own the page moves on to at once (a navigation from our own page, unlike a redirect from another site's). */
/**
 * Where the person is, for the menu: "page" on the item's own page, "true" further in (the working
 * view under Årshjulet); nothing elsewhere.
 */
export function currentOf(href: string, path: string | undefined): 'page' | 'true' | undefined {
  if (path === undefined) return undefined;
  return path === href ? 'page' : path.startsWith(`${href}/`) ? 'true' : undefined;
}

export function page(input: { title: string; user?: User & { csrf: string; unitName?: string; path?: string }; body: Html; notice?: { kind: 'ok' | 'error'; text: string }; goTo?: string }): string {
  const { user } = input;
  return html`<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${input.goTo ? html`<meta http-equiv="refresh" content="0;url=${input.goTo}">` : ''}
<title>${input.title} – Årshjul</title><style>${raw(css)}</style></head>
<body><a class="skip" href="#innehall">Till innehållet</a>
<header><strong>Årshjul</strong>
${user
  ? html`<nav aria-label="Meny">${menu.filter((m) => m.who(user)).map((m) => html`<a href="${m.href}"${currentOf(m.href, user.path) ? html` aria-current="${currentOf(m.href, user.path)}"` : ''}>${m.label}</a>`)}</nav>
<span>${user.name}${user.unitName ? html`, ${user.unitName}` : ''}</span>
<form method="post" action="/logga-ut"><input type="hidden" name="_csrf" value="${user.csrf}"><button>Logga ut</button></form>`
  : ''}
</header>
<main id="innehall">${user ? html`<p class="printonly">Årshjul · ${user.unitName ?? ''} · utskrivet ${today()} av ${user.name}</p>` : ''}<h1>${input.title}</h1>
${input.notice ? html`<p class="${input.notice.kind}" role="${input.notice.kind === 'error' ? 'alert' : 'status'}">${input.notice.text}</p>` : ''}
${input.body}
</main><footer class="noprint"><a href="/tillganglighet">Tillgänglighetsredogörelse</a></footer></body></html>`.value;
}

/**
 * A table that may be wider than the screen, in a box of its own that scrolls sideways (the page
 * does not). The box is a named region a keyboard can reach, so a table without links in it can
 * be scrolled too (WCAG 2.1.1).
 */
export const scrollBox = (label: string, table: Html) => html`<div class="scroll" role="region" aria-label="${label}" tabindex="0">${table}</div>`;

/** The hidden CSRF field every form of a signed-in page carries. */
export const csrfField = (user: { csrf: string }) => html`<input type="hidden" name="_csrf" value="${user.csrf}">`;

/**
 * What a redirect after a change says, by code: the words are ours, never the address's, so a link
 * cannot put text of an attacker's in the official message box. `antal` is a count, nothing else.
 */
const done: Record<string, (antal: number) => string> = {
  klar: () => 'Uppgiften är klar.',
  'klar-uppfoljning': () => 'Uppgiften är klar; uppföljningen är skapad.',
  attest: () => 'Uppgiften är utförd och väntar på attest av en andra person.',
  'ej-aktuell': () => 'Uppgiften är markerad som inte aktuell.',
  'ej-aktuell-attest': () => 'Uppgiften är markerad som inte aktuell och väntar på attest av en andra person.',
  tillbaka: () => 'Uppgiften är skickad tillbaka.',
  omfordelad: () => 'Uppgiften är överlämnad.',
  oppnad: () => 'Uppgiften är öppnad igen.',
  markerade: (antal) => `${antal} ${antal === 1 ? 'uppgift markerad' : 'uppgifter markerade'} som ${antal === 1 ? 'klar' : 'klara'}.`,
  rattelse: () => 'Rättelsen är stängd.',
};
const refused: Record<string, string> = {
  valj: 'Välj minst en uppgift.',
};
export type DoneCode = keyof typeof done;

export const noticeQuery = Type.Object({ klart: Type.Optional(Type.String()), fel: Type.Optional(Type.String()), antal: Type.Optional(Type.Integer({ minimum: 0 })) });

export type Notice = { kind: 'ok' | 'error'; text: string };

export function noticeOf(query: Static<typeof noticeQuery>): Notice | undefined {
  const ok = query.klart !== undefined && Object.hasOwn(done, query.klart) ? done[query.klart]!(query.antal ?? 0) : undefined;
  if (ok) return { kind: 'ok', text: ok };
  const error = query.fel !== undefined && Object.hasOwn(refused, query.fel) ? refused[query.fel] : undefined;
  return error ? { kind: 'error', text: error } : undefined;
}
