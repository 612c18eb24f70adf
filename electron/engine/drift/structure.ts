import { foldLabel } from '../domain/class-key';
import type { Dimension, Finding, Severity } from '../../../shared/drift';
/**
 * What exists: sites, courses, schedules and classes that vanished, are new, or were probably renamed between
 * the reference and a period, with the share of the students they carry.
 */
import type { PlatinumView, Totals } from './data';
import { entityOf, share } from './data';
import type { Formatter } from '../../../shared/format';
import { both } from '../../../shared/format';
import { DIMENSION, sharePct } from './text';

export const STRUCTURE_THRESHOLDS = {
  /** A vanished site carrying at least this share is critical; at least `siteHigh`, high. */
  siteCritical: 0.25,
  siteHigh: 0.02,
  /** Courses and schedules carrying at least this share are named one by one; the rest are counted together. */
  individual: 0.01,
  /** A single course or schedule that vanished or was renamed with at least this share is high. */
  entityHigh: 0.05,
  /**
   * Counted together: high from this share of the students, medium from `aggregateMedium` — or from twice
   * (one and a half times) the share that usually vanishes or appears from one period to the next, when more:
   * a university that renews a third of its sections every term is not drifting when it does so again.
   */
  aggregateHigh: 0.25,
  aggregateMedium: 0.1,
  usualHigh: 2,
  usualMedium: 1.5,
  /** Periods looked back at for the usual churn. */
  usualPeriods: 4,
  /** Probable renames counted together: high from this share, medium from `renamedMedium`. */
  renamedHigh: 0.1,
  renamedMedium: 0.05,
  /** How far back the same season may be to tell a seasonal absence from a vanishing. */
  seasonYears: 5,
  /** New sites, courses or schedules: medium from this share, low below. */
  newMedium: 0.05,
  /** Classes (site·course·schedule) are only counted together, and at most medium from this share. */
  classMedium: 0.5,
  /** A pair is a probable rename when its profiles (cosine), volumes (min/max) and score reach these. */
  renameProfile: 0.6,
  renameVolume: 0.5,
  renameScore: 0.65,
  /** Courses and schedules are codes: a rename keeps most of the label ("ENWR 1510 Seminar" → "ENWR 1510 SEM"). */
  renameLabel: 0.55,
  /** Pairs compared at most, per dimension. */
  renamePairs: 1_000_000,
} as const;

export interface StructureContext {
  current: PlatinumView;
  reference: PlatinumView;
  /** The reference period the structure is compared with: the newest one. */
  referenceLast: string;
  /** A canonical period in a sentence ("nov. 2026"). */
  say: (period: string, f: Formatter) => string;
}

interface Change {
  key: string;
  label: string;
  /** Students in the period it is measured in (reference for vanished, current for new). */
  students: number;
  share: number;
  /** For vanished: the first period it was missing, when before the one examined. */
  since?: string;
  previous?: { key: string; label: string; students: number; share: number };
  score?: number;
}

/** Every label a dimension had in any period before `period` (folded), with the last period it was seen. */
function lastSeen(view: PlatinumView, dimension: Dimension, period: string): Map<string, string> {
  const seen = new Map<string, string>();
  for (const p of view.before(period)) for (const key of view.totals(dimension, p).students.keys()) seen.set(key, p);
  return seen;
}

/** What an entity is made of: for a site its courses, for a course its sites and schedules, for a schedule its courses. */
function profiles(view: PlatinumView, dimension: Dimension, period: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const c of view.classes(period)) {
    const key = foldLabel(entityOf(c, dimension));
    const parts = dimension === 'site' ? [`c:${c.course}`] : dimension === 'course' ? [`s:${c.site}`, `h:${c.schedule}`] : [`c:${c.course}`];
    let profile = out.get(key);
    if (!profile) out.set(key, (profile = new Map()));
    for (const part of parts) {
      const k = foldLabel(part);
      profile.set(k, (profile.get(k) ?? 0) + c.students);
    }
  }
  return out;
}

function cosine(a: Map<string, number> | undefined, b: Map<string, number> | undefined): number {
  if (!a || !b) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of a) {
    na += v * v;
    dot += v * (b.get(k) ?? 0);
  }
  for (const v of b.values()) nb += v * v;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

function bigrams(text: string): Map<string, number> {
  const t = text.toUpperCase().replace(/\s+/g, ' ');
  const out = new Map<string, number>();
  for (let i = 0; i < t.length - 1; i++) {
    const g = t.slice(i, i + 2);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

function tokenDice(a: string, b: string): number {
  const x = a.toUpperCase().split(/\s+/).filter(Boolean);
  const y = new Set(b.toUpperCase().split(/\s+/).filter(Boolean));
  const both = new Set(x.filter((t) => y.has(t))).size;
  return x.length + y.size > 0 ? (2 * both) / (new Set(x).size + y.size) : 0;
}

/**
 * How alike two labels are, 0 to 1: the mean of the Dice coefficients of their words and of their character
 * bigrams ("ENWR 1510 Seminar" ~ "ENWR 1510 SEM" 0.76; "COMM 1800 Lecture" ~ "EGMT 1540 Lecture" 0.45).
 */
export function labelSimilarity(a: string, b: string): number {
  return (tokenDice(a, b) + bigramDice(a, b)) / 2;
}

function bigramDice(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  let both = 0;
  let nx = 0;
  let ny = 0;
  for (const [g, n] of x) {
    nx += n;
    both += Math.min(n, y.get(g) ?? 0);
  }
  for (const n of y.values()) ny += n;
  return nx + ny > 0 ? (2 * both) / (nx + ny) : 0;
}

/**
 * Pairs a vanished entity with a new one when they look alike: similar make-up (cosine of their profiles),
 * similar volume and, to tell apart look-alikes, similar labels. Best pairs first, each entity in one pair.
 */
function pairRenames(ctx: StructureContext, dimension: Dimension, period: string, vanished: Change[], fresh: Change[]): Change[] {
  if (dimension === 'class' || vanished.length === 0 || fresh.length === 0) return [];
  // Many labels on both sides (a university renumbering its courses): compare only labels that start alike.
  const block = vanished.length * fresh.length > STRUCTURE_THRESHOLDS.renamePairs ? (c: Change) => c.label.trim().split(/[\s\d]/)[0]!.toUpperCase() : () => '';
  const freshByBlock = new Map<string, Change[]>();
  for (const f of fresh) {
    const list = freshByBlock.get(block(f)) ?? [];
    list.push(f);
    freshByBlock.set(block(f), list);
  }
  const before = profiles(ctx.reference, dimension, ctx.referenceLast);
  const now = profiles(ctx.current, dimension, period);
  const pairs: { old: Change; next: Change; score: number }[] = [];
  for (const old of vanished) {
    for (const next of freshByBlock.get(block(old)) ?? []) {
      const volume = Math.min(old.students, next.students) / Math.max(old.students, next.students);
      if (volume < STRUCTURE_THRESHOLDS.renameVolume) continue;
      const label = labelSimilarity(old.label, next.label);
      if (dimension !== 'site' && label < STRUCTURE_THRESHOLDS.renameLabel) continue;
      const profile = cosine(before.get(old.key), now.get(next.key));
      if (profile < STRUCTURE_THRESHOLDS.renameProfile) continue;
      const score = 0.5 * profile + 0.25 * volume + 0.25 * label;
      if (score >= STRUCTURE_THRESHOLDS.renameScore) pairs.push({ old, next, score });
    }
  }
  pairs.sort((a, b) => b.score - a.score || (a.next.key < b.next.key ? -1 : 1));
  const used = new Set<string>();
  const renames: Change[] = [];
  for (const { old, next, score } of pairs) {
    if (used.has(`o${old.key}`) || used.has(`n${next.key}`)) continue;
    used.add(`o${old.key}`);
    used.add(`n${next.key}`);
    renames.push({ ...next, previous: { key: old.key, label: old.label, students: old.students, share: old.share }, score });
  }
  return renames;
}

/**
 * The share of students that usually vanishes (in entities of the period before that are gone) and appears (in
 * entities never seen before) from one period to the next: the median over the last few periods.
 */
function usualChurn(view: PlatinumView, dimension: Dimension, period: string): { vanished: number; fresh: number } {
  const before = view.before(period);
  const vanished: number[] = [];
  const fresh: number[] = [];
  for (let i = before.length - 1; i >= 1 && vanished.length < STRUCTURE_THRESHOLDS.usualPeriods; i--) {
    const q = before[i]!;
    const prev = view.totals(dimension, before[i - 1]!);
    const now = view.totals(dimension, q);
    const season = view.sameSeasonBefore(q, 1, STRUCTURE_THRESHOLDS.seasonYears)[0];
    const seasonal = season && season !== before[i - 1] ? view.totals(dimension, season) : null;
    let gone = 0;
    for (const [key, students] of prev.students) if (!now.students.has(key) && (!seasonal || seasonal.students.has(key))) gone += students;
    vanished.push(share(gone, prev.total));
    const seen = new Set<string>();
    for (const p of before.slice(0, i)) for (const key of view.totals(dimension, p).students.keys()) seen.add(key);
    let added = 0;
    for (const [key, students] of now.students) if (!seen.has(key)) added += students;
    fresh.push(share(added, now.total));
  }
  const median = (v: number[]) => (v.length === 0 ? 0 : [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!);
  return { vanished: median(vanished), fresh: median(fresh) };
}

function scopeOf(dimension: Dimension, label: string): Finding['scope'] {
  if (dimension === 'class') return { dimension };
  return { dimension, [dimension]: label };
}

const { es: ES, en: EN } = DIMENSION;
/** The sentences of this step, as ICU messages: `d` is the dimension, `n` how many, `share` a percentage. */
const SAY = {
  vanished: {
    es: `${ES.the} {label} no aparece {when} y tenía {share} de los alumnos ({students} en {reference}).`,
    en: `${EN.the} {label} does not appear {when} and had {share} of the students ({students} in {reference}).`,
  },
  vanishedMany: {
    es: `{n, plural, one {# ${ES.one}} other {# ${ES.other}}} de {reference} no {n, plural, one {aparece} other {aparecen}} en {period}; {n, plural, one {tenía} other {tenían}} {share} de los alumnos ({examples}).`,
    en: `{n, plural, one {# ${EN.one} of {reference} does} other {# ${EN.other} of {reference} do}} not appear in {period}; {n, plural, one {it} other {they}} had {share} of the students ({examples}).`,
  },
  renamed: {
    es: `${ES.the} {previous} no aparece en {period} y aparece {label} con alumnos y composición parecidos ({before} en {reference}, {now} ahora): probablemente es {d, select, site {la misma} class {la misma} other {el mismo}} con otro nombre. Tenía {share} de los alumnos.`,
    en: `${EN.the} {previous} does not appear in {period} and {label} appears with similar students and make-up ({before} in {reference}, {now} now): probably the same ${EN.one} under another name. It had {share} of the students.`,
  },
  renamedMany: {
    es: `{n, plural, one {# ${ES.one} parece {d, select, site {renombrada} class {renombrada} other {renombrado}}} other {# ${ES.other} parecen {d, select, site {renombradas} class {renombradas} other {renombrados}}}} en {period} ({examples}); {n, plural, one {tenía} other {tenían}} {share} de los alumnos.`,
    en: `{n, plural, one {# ${EN.one} looks} other {# ${EN.other} look}} renamed in {period} ({examples}); {n, plural, one {it} other {they}} had {share} of the students.`,
  },
  fresh: {
    es: `${ES.the} {label} aparece por primera vez en {period} con {students} alumnos ({share}).`,
    en: `${EN.the} {label} appears for the first time in {period} with {students} students ({share}).`,
  },
  freshMany: {
    es: `{n, plural, one {# ${ES.one} {d, select, site {nueva} class {nueva} other {nuevo}} en {period} lleva} other {# ${ES.other} {d, select, site {nuevas} class {nuevas} other {nuevos}} en {period} llevan}} {share} de los alumnos ({examples}).`,
    en: `{n, plural, one {# new ${EN.one} in {period} carries} other {# new ${EN.other} in {period} carry}} {share} of the students ({examples}).`,
  },
} as const;

/** The structural findings of one period against the reference's newest period. */
export function structureFindings(ctx: StructureContext, period: string): { findings: Finding[]; touched: Map<Dimension, Set<string>> } {
  const T = STRUCTURE_THRESHOLDS;
  const findings: Finding[] = [];
  const touched = new Map<Dimension, Set<string>>();
  const P = (f: Formatter) => ctx.say(period, f);
  const R = (f: Formatter) => ctx.say(ctx.referenceLast, f);
  const season = ctx.current.sameSeasonBefore(period, 1, T.seasonYears)[0];
  const referenceTotal = ctx.reference.total(ctx.referenceLast);
  const currentTotal = ctx.current.total(period);

  for (const dimension of ['site', 'course', 'schedule', 'class'] as const) {
    const ref = ctx.reference.totals(dimension, ctx.referenceLast);
    const cur = ctx.current.totals(dimension, period);
    const seasonal: Totals | null = season && season !== ctx.referenceLast ? ctx.current.totals(dimension, season) : null;
    const seen = lastSeen(ctx.current, dimension, period);
    const vanished: Change[] = [];
    for (const [key, students] of ref.students) {
      if (cur.students.has(key)) continue;
      // Not running this season is not vanishing when it did not run the same season before either.
      if (seasonal && !seasonal.students.has(key)) continue;
      const last = seen.get(key);
      const next = last ? ctx.current.periods.find((p) => p > last) : undefined;
      vanished.push({ key, label: ref.shown.get(key)!, students, share: share(students, referenceTotal), ...(next && next < period ? { since: next } : {}) });
    }
    const fresh: Change[] = [];
    for (const [key, students] of cur.students) {
      if (seen.has(key) || ctx.reference.totals(dimension, ctx.referenceLast).students.has(key)) continue;
      fresh.push({ key, label: cur.shown.get(key)!, students, share: share(students, currentTotal) });
    }
    const renames = pairRenames(ctx, dimension, period, vanished, fresh);
    const renamedOld = new Set(renames.map((r) => r.previous!.key));
    const renamedNew = new Set(renames.map((r) => r.key));
    const gone = vanished.filter((v) => !renamedOld.has(v.key)).sort((a, b) => b.students - a.students);
    const added = fresh.filter((f) => !renamedNew.has(f.key)).sort((a, b) => b.students - a.students);
    renames.sort((a, b) => b.previous!.students - a.previous!.students);
    touched.set(dimension, new Set([...vanished.map((v) => v.key), ...fresh.map((f) => f.key)]));

    const individually = (c: { share: number }) => dimension === 'site' || (dimension !== 'class' && c.share >= T.individual);
    const usual = dimension === 'site' ? { vanished: 0, fresh: 0 } : usualChurn(ctx.current, dimension, period);
    const aggregateSeverity = (s: number, typical: number): Severity =>
      s >= Math.max(T.aggregateHigh, T.usualHigh * typical) ? 'high' : s >= Math.max(T.aggregateMedium, T.usualMedium * typical) ? 'medium' : 'low';
    // Vanished.
    for (const v of gone.filter(individually)) {
      const severity: Severity =
        dimension === 'site' ? (v.share >= T.siteCritical ? 'critical' : v.share >= T.siteHigh ? 'high' : 'medium') : v.share >= T.entityHigh ? 'high' : 'medium';
      const when = (f: Formatter) =>
        v.since ? `${f.lang === 'es' ? 'desde' : 'since'} ${ctx.say(v.since, f)}` : `${f.lang === 'es' ? 'en' : 'in'} ${P(f)}`;
      findings.push({
        kind: 'vanished', period, scope: scopeOf(dimension, v.label), size: v.share, size_unit: 'share',
        test: { name: 'presence', value: v.share, threshold: dimension === 'site' ? T.siteHigh : T.entityHigh }, severity,
        message: both((f) => f.message(SAY.vanished[f.lang], { d: dimension, label: v.label, when: when(f), share: sharePct(v.share, f), students: v.students, reference: R(f) })),
        cause: `drift:vanished:${dimension}:${v.key}`,
        detail: { students_before: v.students, reference_period: ctx.referenceLast, since: v.since ?? period },
      });
    }
    const restGone = gone.filter((v) => !individually(v));
    if (restGone.length > 0) {
      const s = restGone.reduce((a, v) => a + v.share, 0);
      const severity: Severity = dimension === 'class' ? (s >= Math.max(T.classMedium, T.usualMedium * usual.vanished) ? 'medium' : 'low') : aggregateSeverity(s, usual.vanished);
      const names = restGone.map((v) => v.label);
      findings.push({
        kind: 'vanished', period, scope: { dimension, count: restGone.length, examples: names.slice(0, 5) }, size: s, size_unit: 'share',
        test: { name: 'presence', value: s, threshold: T.aggregateMedium }, severity,
        message: both((f) => f.message(SAY.vanishedMany[f.lang], { d: dimension, n: restGone.length, reference: R(f), period: P(f), share: sharePct(s, f), examples: f.list(names, 3) })),
        cause: `drift:vanished:${dimension}:*`,
        detail: { count: restGone.length, reference_period: ctx.referenceLast, usual_share: usual.vanished },
      });
    }
    // Probable renames.
    const renameIndividually = (r: Change) => dimension === 'site' || r.previous!.share >= T.individual;
    for (const r of renames.filter(renameIndividually)) {
      const old = r.previous!;
      const severity: Severity = dimension === 'site' ? (old.share >= T.siteHigh ? 'high' : 'medium') : old.share >= T.entityHigh ? 'high' : 'medium';
      findings.push({
        kind: 'renamed', period, scope: { ...scopeOf(dimension, r.label), previous: old.label }, size: old.share, size_unit: 'share',
        test: { name: 'rename-similarity', value: r.score!, threshold: T.renameScore }, severity,
        message: both((f) =>
          f.message(SAY.renamed[f.lang], { d: dimension, previous: old.label, label: r.label, period: P(f), reference: R(f), before: old.students, now: r.students, share: sharePct(old.share, f) })),
        cause: `drift:renamed:${dimension}:${old.key}>${r.key}`,
        detail: { previous_students: old.students, students: r.students, similarity: r.score, reference_period: ctx.referenceLast },
      });
    }
    const restRenamed = renames.filter((r) => !renameIndividually(r));
    if (restRenamed.length > 0) {
      const s = restRenamed.reduce((a, r) => a + r.previous!.share, 0);
      const severity: Severity = s >= T.renamedHigh ? 'high' : s >= T.renamedMedium ? 'medium' : 'low';
      const names = restRenamed.map((r) => `${r.previous!.label} → ${r.label}`);
      findings.push({
        kind: 'renamed', period, scope: { dimension, count: restRenamed.length, examples: names.slice(0, 5) }, size: s, size_unit: 'share',
        test: { name: 'rename-similarity', value: Math.min(...restRenamed.map((r) => r.score!)), threshold: T.renameScore }, severity,
        message: both((f) => f.message(SAY.renamedMany[f.lang], { d: dimension, n: restRenamed.length, period: P(f), share: sharePct(s, f), examples: f.list(names, 3) })),
        cause: `drift:renamed:${dimension}:*`,
        detail: { count: restRenamed.length, reference_period: ctx.referenceLast },
      });
    }
    // New.
    for (const f of added.filter(individually)) {
      const severity: Severity = f.share >= T.newMedium ? 'medium' : 'low';
      findings.push({
        kind: 'new', period, scope: scopeOf(dimension, f.label), size: f.share, size_unit: 'share',
        test: { name: 'presence', value: f.share, threshold: T.newMedium }, severity,
        message: both((fmt) => fmt.message(SAY.fresh[fmt.lang], { d: dimension, label: f.label, period: P(fmt), students: f.students, share: sharePct(f.share, fmt) })),
        cause: `drift:new:${dimension}:${f.key}`,
        detail: { students: f.students },
      });
    }
    const restAdded = added.filter((f) => !individually(f));
    if (restAdded.length > 0) {
      const s = restAdded.reduce((a, f) => a + f.share, 0);
      const severity: Severity =
        dimension === 'class' ? (s >= Math.max(T.classMedium, T.usualMedium * usual.fresh) ? 'medium' : 'low') : s >= Math.max(T.aggregateMedium, T.usualMedium * usual.fresh) ? 'medium' : 'low';
      const names = restAdded.map((f) => f.label);
      findings.push({
        kind: 'new', period, scope: { dimension, count: restAdded.length, examples: names.slice(0, 5) }, size: s, size_unit: 'share',
        test: { name: 'presence', value: s, threshold: T.aggregateMedium }, severity,
        message: both((f) => f.message(SAY.freshMany[f.lang], { d: dimension, n: restAdded.length, period: P(f), share: sharePct(s, f), examples: f.list(names, 3) })),
        cause: `drift:new:${dimension}:*`,
        detail: { count: restAdded.length, usual_share: usual.fresh },
      });
    }
  }
  return { findings, touched };
}
