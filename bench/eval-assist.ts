/**
 * `npm run eval`: measures the assistance (src/domain/assist) on the labelled fixture in
 * test/fixtures/assist — department accuracy after 50/100/200 routing decisions (time-ordered split),
 * flag precision/recall per reason, false flags on ordinary comments, repeats, incidents, locations,
 * and the time per suggestion. Method and results: docs/assistance.md.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { parseOrganization, type Organization } from '../src/config/organization.js';
import { Assistant, type EarlierCase, type FlagReason } from '../src/domain/assist/index.js';
import { FLAG_REASONS } from '../src/domain/assist/flags.js';

interface Item {
  id: string;
  by?: string;
  dept?: string;
  loc?: string;
  flags?: FlagReason[];
  rep?: string;
  inc?: number;
  text: string;
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const fixtures = path.join(root, 'test/fixtures/assist');
const readItems = (file: string): Item[] => (parse(readFileSync(path.join(fixtures, file), 'utf8')) as { items: Item[] }).items;
const readOrg = (file: string): Organization => parseOrganization(readFileSync(file, 'utf8'), file);

const sets = [
  { name: 'Канаш', org: readOrg(path.join(root, 'otklik.example.yaml')), items: readItems('comments-kanash.yaml') },
  { name: 'Ахты', org: readOrg(path.join(fixtures, 'akhty.yaml')), items: readItems('comments-akhty.yaml') },
];
const heldout = readItems('ordinary-heldout.yaml');
/** Written after the first insult-rule change; then three of it led to the second change (so now tuned). */
const heldout2 = readItems('ordinary-heldout-2.yaml');
/** Written after the insult rule's last change and never tuned on. */
const heldout3 = readItems('ordinary-heldout-3.yaml');

const START = Date.UTC(2026, 2, 2, 6, 0);
const STEP = 40 * 60_000; // one comment every 40 minutes, in file order
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : 'n/a');
const newAssistant = (org: Organization) => new Assistant({ departments: org.departments, topics: org.topics, locations: org.locations });

console.log('Assistance evaluation on test/fixtures/assist (time order = file order)\n');
console.log(`Items: ${sets.map((s) => `${s.name} ${s.items.length}`).join(', ')}, held-out ordinary ${heldout.length} + ${heldout2.length} + ${heldout3.length}\n`);

// 1. Departments: train on the first N routed decisions, test on the routed items after the first 200
//    (after the first 100 when there are fewer than 240, after the first 60 % below 130), the same
//    test set for every N.
console.log('Department (top-1 / top-3) on the later routed items:');
for (const s of sets) {
  const routed = s.items.filter((i) => i.dept && !i.flags?.length);
  const cut = routed.length > 240 ? 200 : routed.length >= 130 ? 100 : Math.floor(routed.length * 0.6);
  const test = routed.slice(cut);
  const row: string[] = [];
  for (const n of [0, 50, 100, 200]) {
    if (n > cut) {
      row.push(`after ${n}: n/a (only ${cut} before the test items)`);
      continue;
    }
    const a = newAssistant(s.org);
    for (const i of routed.slice(0, n)) a.classifier.learn(i.text, i.dept!);
    let top1 = 0;
    let top3 = 0;
    for (const i of test) {
      const ranked = a.classifier.rank(i.text).map((r) => r.departmentId);
      if (ranked[0] === i.dept) top1++;
      if (ranked.slice(0, 3).includes(i.dept!)) top3++;
    }
    row.push(`after ${n}: ${pct(top1, test.length)} / ${pct(top3, test.length)}`);
  }
  console.log(`  ${s.name} (${test.length} test items, ${s.org.departments.length} departments): ${row.join(' · ')}`);
}

// 2. Flags per reason over every labelled item, and false flags on ordinary comments.
console.log('\nFlags (precision / recall, over both organizations):');
const all = sets.flatMap((s) => s.items.map((i) => ({ i, a: newAssistant(s.org) })));
const predicted = all.map(({ i, a }) => ({ i, got: new Set(a.suggest({ text: i.text, authorId: null, at: 0, earlier: [] }).flags.map((f) => f.reason)) }));
for (const reason of FLAG_REASONS) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const { i, got } of predicted) {
    const gold = (i.flags ?? []).includes(reason);
    if (got.has(reason) && gold) tp++;
    else if (got.has(reason)) fp++;
    else if (gold) fn++;
  }
  console.log(`  ${reason.padEnd(13)} ${pct(tp, tp + fp).padStart(8)} / ${pct(tp, tp + fn).padStart(8)}   (${tp + fn} labelled)`);
  if (process.argv.includes('--misses'))
    for (const { i, got } of predicted) if ((i.flags ?? []).includes(reason) !== got.has(reason)) console.log(`    ${got.has(reason) ? 'extra' : 'missed'}: ${i.id} ${i.text}`);
}
const ordinary = predicted.filter((p) => !p.i.flags?.length);
const falseFixture = ordinary.filter((p) => p.got.size > 0);
const heldA = newAssistant(sets[0]!.org);
const falseHeld = heldout.filter((h) => heldA.suggest({ text: h.text, authorId: null, at: 0, earlier: [] }).flags.length > 0);
console.log(
  `  any flag on an ordinary comment: fixture ${pct(falseFixture.length, ordinary.length)} (${falseFixture.length}/${ordinary.length}), held-out ${pct(falseHeld.length, heldout.length)} (${falseHeld.length}/${heldout.length})`,
);
const flagged = (items: Item[]) => items.filter((h) => heldA.suggest({ text: h.text, authorId: null, at: 0, earlier: [] }).flags.length > 0);
const falseHeld2 = flagged(heldout2);
const falseHeld3 = flagged(heldout3);
const held = heldout.length + heldout2.length + heldout3.length;
const heldFalse = falseHeld.length + falseHeld2.length + falseHeld3.length;
console.log(
  `  held-out second set ${pct(falseHeld2.length, heldout2.length)} (${falseHeld2.length}/${heldout2.length}); third set, untuned: ${pct(falseHeld3.length, heldout3.length)} (${falseHeld3.length}/${heldout3.length}); all held-out: ${pct(heldFalse, held)} (${heldFalse}/${held})`,
);
for (const f of [...falseFixture.map((p) => p.i), ...falseHeld, ...falseHeld2, ...falseHeld3]) console.log(`    false flag: ${f.id} ${f.text.slice(0, 60)}`);

// 3. Repeats, incidents, locations: replayed in time order, the classifier learning as decisions come.
let repTp = 0;
let repPred = 0;
let repGold = 0;
let incTp = 0;
let incPred = 0;
let incGold = 0;
let locOk = 0;
let locGold = 0;
let locFalse = 0;
let locNone = 0;
const times: number[] = [];
for (const s of sets) {
  const a = newAssistant(s.org);
  const earlier: EarlierCase[] = [];
  const group = new Map<string, string>();
  s.items.forEach((i, n) => {
    const at = START + n * STEP;
    const t0 = performance.now();
    const r = a.suggest({ text: i.text, authorId: i.by ?? null, at, earlier });
    times.push(performance.now() - t0);
    const g = i.rep ? (group.get(i.rep) ?? i.rep) : i.id;
    group.set(i.id, g);
    if (i.rep) repGold++;
    const top = r.repeats[0];
    if (top) {
      repPred++;
      const earlierItem = s.items.find((x) => x.id === `${i.id[0]}${top.number}`);
      if (i.rep && earlierItem && group.get(earlierItem.id) === g) repTp++;
      else if (process.argv.includes('--misses')) console.log(`    repeat extra: ${i.id} → ${earlierItem?.id} (${top.score.toFixed(2)}) ${i.text.slice(0, 50)} | ${earlierItem?.text.slice(0, 50)}`);
    } else if (i.rep && process.argv.includes('--misses')) console.log(`    repeat missed: ${i.id} → ${i.rep} ${i.text.slice(0, 60)}`);
    if (process.argv.includes('--misses') && !!r.incident !== !!i.inc) console.log(`    incident ${i.inc ? 'missed' : 'extra'}: ${i.id} ${r.incident?.words.join(',') ?? ''} ${i.text.slice(0, 70)}`);
    if (i.inc) incGold++;
    if (r.incident) {
      incPred++;
      if (i.inc) incTp++;
    }
    if (i.loc) {
      locGold++;
      if (r.location?.location === i.loc) locOk++;
    } else {
      locNone++;
      if (r.location) locFalse++;
    }
    if (i.dept && !i.flags?.length) {
      a.classifier.learn(i.text, i.dept);
      earlier.push({ caseId: n + 1, number: Number(i.id.slice(1)), text: i.text, authorId: i.by ?? null, location: i.loc ?? null, departmentId: i.dept, at });
    }
  });
}
console.log(`\nRepeats (top candidate in the same group): precision ${pct(repTp, repPred)} (${repTp}/${repPred}), recall ${pct(repTp, repGold)} (${repTp}/${repGold})`);
console.log(`Incidents (А17 hint): precision ${pct(incTp, incPred)} (${incTp}/${incPred}), recall ${pct(incTp, incGold)} (${incTp}/${incGold})`);
console.log(`Locations: right ${pct(locOk, locGold)} (${locOk}/${locGold}); a location found where none is labelled ${pct(locFalse, locNone)} (${locFalse}/${locNone})`);
times.sort((x, y) => x - y);
const mean = times.reduce((n, x) => n + x, 0) / times.length;
console.log(
  `Time per suggestion (classifier + flags + location + repeats against up to ${Math.max(...sets.map((s) => s.items.length))} earlier cases): mean ${mean.toFixed(2)} ms, p95 ${times[Math.floor(times.length * 0.95)]!.toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms`,
);
