// The admin's view of the rule pack: each rule in Swedish (when, for whom, due, conditions), its
// validity and the pack's validation status; a dry run for a chosen month against the current
// cases; and what changed since the previous recorded pack. Editing stays in the files (git).
import { Type } from 'typebox';
import { today } from '../calendar/businessDays.js';
import { isMonth } from '../calendar/months.js';
import { plan } from '../planner/plan.js';
import { describeRule } from '../rules/describe.js';
import { readRuleFiles } from '../rules/files.js';
import { formatError, loadRulePack, type RulePack } from '../rules/load.js';
import { readCaseFileFromStore } from '../store/cases.js';
import { previousPack } from '../store/rulePacks.js';
import type { Queryable } from '../store/db.js';
import type { Routes, WebDeps } from './app.js';
import { BadRequest } from './app.js';
import { html } from './html.js';
import { page, scrollBox } from './layout.js';
import { swedishOrder } from './names.js';

const admin = ['admin'] as const;

/** Rules added, removed and changed since the latest recorded pack that differs from this one. */
async function diffAgainstPrevious(db: Queryable, pack: RulePack) {
  const before = await previousPack(db, pack.hash);
  if (!before) return undefined;
  const ids = (p: RulePack) => new Map(p.rules.map((r) => [`${r.rule.id}|${r.rule.validFrom ?? ''}`, r]));
  const [old, now] = [ids(before), ids(pack)];
  // Controls by their titles, as everywhere else in the web app.
  return {
    hash: before.hash,
    added: [...now.keys()].filter((k) => !old.has(k)).map((k) => now.get(k)!.rule.title),
    removed: [...old.keys()].filter((k) => !now.has(k)).map((k) => old.get(k)!.rule.title),
    changed: [...now.keys()].filter((k) => old.has(k) && old.get(k)!.version !== now.get(k)!.version).map((k) => now.get(k)!.rule.title),
  };
}

export function rulesView(routes: Routes, deps: WebDeps): void {
  const { db } = deps;
  const current = async () => loadRulePack(await readRuleFiles(deps.rulesDir));

  routes.add({
    method: 'GET', url: '/regler', access: [...admin],
    schema: { querystring: Type.Object({ manad: Type.Optional(Type.String()) }) },
    handler: async (request, reply) => {
      const user = request.user!;
      const { pack, errors } = await current();
      const month = request.query.manad ?? today().slice(0, 7);
      if (!isMonth(month)) throw new BadRequest('Ange månaden som ÅÅÅÅ-MM.');
      const caseFile = await readCaseFileFromStore(db, user.unitId);
      const counts = new Map<string, number>();
      if (errors.length === 0) for (const task of plan({ caseFile, pack, from: month, to: month })) counts.set(task.ruleId, (counts.get(task.ruleId) ?? 0) + 1);
      const diff = errors.length === 0 ? await diffAgainstPrevious(db, pack) : undefined;
      return reply.type('text/html').send(page({
        title: 'Regelpaketet', user,
        notice: errors.length ? { kind: 'error', text: `${errors.length} fel i regelfilerna; svepet använder senaste giltiga version tills de är rättade.` } : { kind: 'ok', text: `${pack.rules.length} regler, giltiga (version ${pack.hash}).` },
        body: html`${errors.length ? html`<ul>${errors.map((e) => html`<li><code>${formatError(e)}</code></li>`)}</ul>` : ''}
<p>Reglerna ändras i filerna under <code>rules/</code> och granskas i git; här syns de och deras verkan.</p>
<form method="get" action="/regler"><label for="manad">Provkör månad</label> <input id="manad" name="manad" value="${month}" pattern="\\d{4}-(0[1-9]|1[0-2])" title="ÅÅÅÅ-MM, t.ex. 2027-03"> <button>Visa</button></form>
<h2>Ändringar sedan förra versionen</h2>
${diff ? html`<p>Jämfört med version ${diff.hash}: nya ${diff.added.join(', ') || 'inga'}; borttagna ${diff.removed.join(', ') || 'inga'}; ändrade ${diff.changed.join(', ') || 'inga'}.</p>`
    : html`<p>${errors.length ? 'Jämförelsen visas när regelfilerna är rättade.' : 'Ingen tidigare version av regelpaketet finns sparad: ändringarna visas här från nästa gång paketet ändras och svepet har kört.'}</p>`}
${scrollBox('Reglerna', html`<table><thead><tr><th>Kontroll</th><th>När</th><th>Vem</th><th>Klar senast</th><th>Villkor</th><th>Giltig</th><th>Källa</th><th class="n">Uppgifter ${month}</th></tr></thead><tbody>
${[...pack.rules].sort((a, b) => swedishOrder(a.rule.title, b.rule.title)).map(({ rule, file }) => {
  const d = describeRule(rule);
  return html`<tr id="regel-${rule.id}"><td><strong>${rule.title}</strong><br><small>${rule.id} · ${file}</small></td><td>${d.when}</td><td>${d.who}</td><td>${d.due}</td><td>${d.conditions}</td>
<td>${rule.validFrom ?? 'alltid'}${rule.validTo ? ` – ${rule.validTo}` : ''}</td><td>${rule.proposal ? html`<strong>Förslag, inte lag.</strong> ` : ''}${rule.reference.join('; ')}</td><td class="n">${counts.get(rule.id) ?? 0}</td></tr>`;
})}
</tbody></table>`)}
<h2>Parametrar ${month}</h2>
<p>Åldrar och antal månader som reglerna läser; värdet som gäller den första dagen i månaden.</p>
${scrollBox(`Parametrar ${month}`, html`<table><thead><tr><th>Parameter</th><th class="n">Värde</th><th>Gäller från</th><th>Källa</th></tr></thead><tbody>
${pack.parameters.map(({ parameter, file }) => {
  const entry = parameter.values.filter((v) => v.from <= `${month}-01`).at(-1);
  return html`<tr id="parameter-${parameter.id}"><td><strong>${parameter.title}</strong><br><small>${parameter.id} · ${file}</small></td><td class="n">${entry ? `${entry.value}${parameter.unit ? ` ${parameter.unit}` : ''}` : 'inget värde än'}</td><td>${entry?.from ?? '–'}</td><td>${parameter.proposal ? html`<strong>Förslag, inte lag.</strong> ` : ''}${(entry?.reference ?? parameter.reference).join('; ')}</td></tr>`;
})}
</tbody></table>`)}`,
      }));
    },
  });

  routes.add({
    method: 'GET', url: '/api/rules', access: [...admin],
    schema: { summary: 'Regelpaketet: reglerna på svenska, giltighet och valideringsfel' },
    handler: async () => {
      const { pack, errors } = await current();
      return { hash: pack.hash, valid: errors.length === 0, errors: errors.map(formatError), rules: pack.rules.map(({ rule, file }) => ({
          id: rule.id, title: rule.title, file, validFrom: rule.validFrom ?? null, validTo: rule.validTo ?? null, reference: rule.reference, proposal: rule.proposal ?? null, ...describeRule(rule),
        })),
        parameters: pack.parameters.map(({ parameter, file }) => ({ id: parameter.id, title: parameter.title, file, reference: parameter.reference, proposal: parameter.proposal ?? null, values: parameter.values })),
      };
    },
  });
}
