/**
 * Owns the tables platinum_class and platinum_transition: the cleaned data every later step reads, one version
 * per set of snapshots in use (its dataset_version row is written through versions.ts). Building it reads
 * raw_class and raw_roster in SQL, beside raw.ts in the same folder: a million enrolments never pass through
 * JavaScript one row at a time.
 */
import type { PeriodFrequency } from '../../../shared/reports';
import { BatchInsert } from '../db/insert-many';
import type { ReadableDB, WritableDB } from '../db/types';
import type { ClassKey, ClassLabels } from '../domain/class-key';
import { foldLabel, labelsString } from '../domain/class-key';
import type { PeriodStyle } from '../domain/periods';
import { parseCanonical } from '../domain/periods';
import { PSEUDONYM_BYTES } from '../domain/pseudonyms';
import type { ParsedFile } from '../ingest/parse-file';
import { notationSnapshot, periodOwners } from './raw';
import type { DatasetVersion } from './versions';
import { completeVersion, derivedVersionId, findVersion, recordVersion } from './versions';

/** Bump when the cleaning rules below change: every platinum version made by older rules is then rebuilt. */
export const PLATINUM_LOGIC_VERSION = 1;

export interface PlatinumSummary {
  frequency: PeriodFrequency;
  period_style: PeriodStyle;
  periods: string[];
  term_slots: number[];
  sites: number;
  courses: number;
  classes: number;
  students: number;
  transitions: number;
}

export interface PlatinumClass extends ClassKey {
  students: number;
}

export interface PlatinumTransition {
  from_period: string;
  site: string;
  from_course: string;
  to_course: string;
  students: number;
}

const folded = new Map<string, string>();

/** `foldLabel`, remembered: the same few thousand labels come back on every roster row. */
function foldKey(label: string): string {
  let key = folded.get(label);
  if (key === undefined) {
    if (folded.size > 100_000) folded.clear();
    folded.set(label, (key = foldLabel(label)));
  }
  return key;
}

/** The platinum version the raw snapshots call for now (null before any import). */
export function currentPlatinumId(db: ReadableDB): string | null {
  return platinumIdOf(periodOwners(db));
}

function platinumIdOf(owners: ReadonlyMap<string, string>): string | null {
  if (owners.size === 0) return null;
  return derivedVersionId('platinum', PLATINUM_LOGIC_VERSION, [...owners.entries()].map(([p, s]) => `${p}=${s}`));
}

/** The platinum version the raw snapshots call for, if it has been built (null before any import). */
export function currentPlatinum(db: ReadableDB): DatasetVersion<PlatinumSummary> | null {
  const id = currentPlatinumId(db);
  return id ? findVersion<PlatinumSummary>(db, id) : null;
}

/**
 * The snapshots an import is storing, by id, still in memory. Their rosters may not be written yet: where one of
 * their periods must be matched with a period stored before, their students are taken from `pseudonyms()`.
 */
export interface JustStored {
  files: ReadonlyMap<string, ParsedFile>;
  pseudonyms: () => Buffer;
}

/**
 * Builds the cleaned, aggregated table from the raw snapshots, unless the version they call for exists already.
 * A period imported again is taken from its latest snapshot; the older snapshot stays untouched.
 */
export function ensurePlatinum(db: WritableDB, justStored?: JustStored): { id: string; created: boolean } | null {
  const owners = periodOwners(db);
  const id = platinumIdOf(owners);
  if (!id) return null;
  if (findVersion(db, id)) return { id, created: false };

  return db.transaction(() => {
    const latest = notationSnapshot(db, owners)!;
    const periods = [...owners.keys()];
    const summary: PlatinumSummary = {
      frequency: latest.frequency,
      period_style: latest.period_style,
      periods,
      term_slots: [...new Set(periods.map((p) => parseCanonical(p).slot))].sort((a, b) => a - b),
      sites: 0,
      courses: 0,
      classes: 0,
      students: 0,
      transitions: 0,
    };
    const parents = [...owners.entries()].map(([p, s]) => `${p}=${s}`);
    recordVersion(db, { id, kind: 'platinum', logic_version: PLATINUM_LOGIC_VERSION, parents, row_count: 0, summary });

    // The aggregation runs inside SQLite; only the distinct labels (a few thousand) pass through JavaScript,
    // to pick each one's display spelling.
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS platinum_owner (period TEXT NOT NULL, snapshot_id TEXT NOT NULL, PRIMARY KEY (snapshot_id, period));
             CREATE TEMP TABLE IF NOT EXISTS platinum_label (kind TEXT NOT NULL, raw TEXT NOT NULL, display TEXT NOT NULL, PRIMARY KEY (kind, raw));
             DELETE FROM temp.platinum_owner; DELETE FROM temp.platinum_label;`);
    const owner = db.prepare(`INSERT INTO temp.platinum_owner (period, snapshot_id) VALUES (?, ?)`);
    for (const [period, snapshot] of owners) owner.run(period, snapshot);
    const lastUse = labelsLastUsed(db, owners, justStored);
    const display = { s: labelDisplays(lastUse.site), c: labelDisplays(lastUse.course), h: labelDisplays(lastUse.schedule) };

    if (Object.values(display).every((labels) => labels.byRaw.size === labels.byKey.size)) {
      // Every label is its own display, and each period has one owner snapshot: the owners' raw classes are the
      // platinum classes as they stand, and the folding below (three joins and a GROUP BY) would cost twice the
      // copy. Only a file that wrote one period two ways (202401 and 2024-01) holds a class twice: those add up
      // (`WHERE true` keeps SQLite from reading the upsert's ON CONFLICT as the join's ON).
      db.prepare(
        `INSERT INTO platinum_class (version_id, period, site, course, schedule, students, snapshot_id, capacity)
         SELECT ?, rc.period, rc.site, rc.course, rc.schedule, rc.students, rc.snapshot_id, rc.capacity
         FROM temp.platinum_owner o
         JOIN raw_class rc ON rc.snapshot_id = o.snapshot_id AND rc.period = o.period
         WHERE true
         ON CONFLICT DO UPDATE SET students = students + excluded.students, capacity = COALESCE(capacity + excluded.capacity, capacity, excluded.capacity)`,
      ).run(id);
    } else {
      const label = new BatchInsert(db, 'temp.platinum_label', ['kind', 'raw', 'display']);
      for (const [kind, labels] of Object.entries(display)) for (const [raw, shown] of labels.byRaw) label.add(kind, raw, shown);
      label.flush();
      db.prepare(
        // Raw classes that fold into one (`Norte` and `NORTE`) are one class: their seats add up like their students,
        // and a SUM over nothing but NULLs stays NULL, unknown.
        `INSERT INTO platinum_class (version_id, period, site, course, schedule, students, snapshot_id, capacity)
         SELECT ?, rc.period, s.display, c.display, h.display, SUM(rc.students), MAX(rc.snapshot_id), SUM(rc.capacity)
         FROM temp.platinum_owner o
         JOIN raw_class rc ON rc.snapshot_id = o.snapshot_id AND rc.period = o.period
         JOIN temp.platinum_label s ON s.kind = 's' AND s.raw = rc.site
         JOIN temp.platinum_label c ON c.kind = 'c' AND c.raw = rc.course
         JOIN temp.platinum_label h ON h.kind = 'h' AND h.raw = rc.schedule
         GROUP BY rc.period, s.display, c.display, h.display`,
      ).run(id);
    }

    const transitions = countTransitions(db, owners, justStored);
    const insertTransition = new BatchInsert(db, 'platinum_transition', ['version_id', 'from_period', 'site', 'from_course', 'to_course', 'students']);
    for (const t of transitions) insertTransition.add(id, t.from_period, display.s.byKey.get(t.site), display.c.byKey.get(t.from_course), display.c.byKey.get(t.to_course), t.students);
    insertTransition.flush();

    const totals = db.prepare(`SELECT COUNT(*) AS classes, COALESCE(SUM(students), 0) AS students FROM platinum_class WHERE version_id = ?`).get(id) as { classes: number; students: number };
    Object.assign(summary, { sites: display.s.byKey.size, courses: display.c.byKey.size, classes: totals.classes, students: totals.students, transitions: transitions.length });
    completeVersion(db, id, totals.classes, summary);
    return { id, created: true };
  })();
}

type LastUse = Record<'site' | 'course' | 'schedule', Map<string, string>>;

/**
 * Each distinct label of the classes in use, by column, with the latest period that uses it. When every period
 * comes from a snapshot of this import, its classes are still in memory and no scan of raw_class is needed;
 * otherwise one scan serves all three columns.
 */
function labelsLastUsed(db: ReadableDB, owners: ReadonlyMap<string, string>, justStored?: JustStored): LastUse {
  const lastUse: LastUse = { site: new Map(), course: new Map(), schedule: new Map() };
  const use = (site: string, course: string, schedule: string, period: string) => {
    useLabel(lastUse.site, site, period);
    useLabel(lastUse.course, course, period);
    useLabel(lastUse.schedule, schedule, period);
  };
  const stored = [...new Set(owners.values())].map((snapshot) => [snapshot, justStored?.files.get(snapshot)] as const);
  if (stored.every(([, parsed]) => parsed)) {
    for (const [snapshot, parsed] of stored) {
      let period = '';
      let owned = false;
      for (const c of parsed!.classes) {
        if (c.period !== period) owned = owners.get((period = c.period)) === snapshot;
        if (owned) use(c.site, c.course, c.schedule, period);
      }
    }
    return lastUse;
  }
  const rows = db
    .prepare(`SELECT rc.site, rc.course, rc.schedule, MAX(rc.period) FROM temp.platinum_owner o JOIN raw_class rc ON rc.snapshot_id = o.snapshot_id AND rc.period = o.period GROUP BY rc.site, rc.course, rc.schedule`)
    .raw()
    .all() as [string, string, string, string][];
  for (const [site, course, schedule, last] of rows) use(site, course, schedule, last);
  return lastUse;
}

function useLabel(lastUse: Map<string, string>, label: string, period: string): void {
  const last = lastUse.get(label);
  if (last === undefined || period > last) lastUse.set(label, period);
}

/**
 * How each distinct label is shown: labels that differ only in letter case are one, spelled as in the most
 * recent period that uses it (of two spellings in that period, the later in SQLite's byte order). `byRaw` maps
 * every spelling to the chosen one, `byKey` the folded key to it.
 */
function labelDisplays(lastUse: ReadonlyMap<string, string>): { byRaw: Map<string, string>; byKey: Map<string, string> } {
  const byKey = new Map<string, string>();
  for (const [raw, last] of lastUse) {
    const key = foldKey(raw);
    const shown = byKey.get(key);
    const shownLast = shown === undefined ? '' : lastUse.get(shown)!;
    if (shown === undefined || last > shownLast || (last === shownLast && Buffer.compare(Buffer.from(raw), Buffer.from(shown)) > 0)) byKey.set(key, raw);
  }
  return { byRaw: new Map([...lastUse.keys()].map((raw) => [raw, byKey.get(foldKey(raw))!])), byKey };
}

/**
 * One period of a snapshot stored by this very import, still in memory: each enrolment as the student's ordinal in
 * the import and its place (site and course codes), so transitions are counted without reading rosters back.
 */
interface PeriodInMemory {
  students: Int32Array;
  places: Int32Array;
}

/** Each file's classes by period, found once: a file of 60 months is not scanned 60 times. */
const classesByPeriod = new WeakMap<ParsedFile, Map<string, number[]>>();

function classIndexesOf(parsed: ParsedFile, period: string): number[] {
  let byPeriod = classesByPeriod.get(parsed);
  if (!byPeriod) {
    byPeriod = new Map();
    for (const [i, c] of parsed.classes.entries()) {
      const list = byPeriod.get(c.period);
      if (list) list.push(i);
      else byPeriod.set(c.period, [i]);
    }
    classesByPeriod.set(parsed, byPeriod);
  }
  return byPeriod.get(period) ?? [];
}

function periodInMemory(parsed: ParsedFile, period: string, sites: Codes, courses: Codes): PeriodInMemory | null {
  const members = parsed.members;
  if (!members) return null;
  const indexes = classIndexesOf(parsed, period);
  let size = 0;
  for (const i of indexes) size += members.starts[i + 1]! - members.starts[i]!;
  const students = new Int32Array(size);
  const places = new Int32Array(size);
  let n = 0;
  for (const i of indexes) {
    const c = parsed.classes[i]!;
    const place = sites.code(foldKey(c.site)) * CODE_SPAN + courses.code(foldKey(c.course));
    for (let k = members.starts[i]!; k < members.starts[i + 1]!; k++) {
      students[n] = members.students[k]!;
      places[n++] = place;
    }
  }
  return { students, places };
}

/**
 * Students seen in consecutive periods: from which course to which, per site (folded labels). Rosters are read a
 * period at a time and only two periods are held, so memory follows one period's students, not the whole history.
 * Two consecutive periods both provided by snapshots of this import (`justStored`) are counted from the import's
 * own student ordinals instead: the same students, the same counts, without decoding a million pseudonyms again.
 * A period of this import next to one stored before is read from the import's members and pseudonyms, since its
 * rosters are written last.
 */
function countTransitions(db: ReadableDB, owners: Map<string, string>, justStored?: JustStored): PlatinumTransition[] {
  const files = [...(justStored?.files.values() ?? [])];
  if (!files.some((parsed) => (parsed.members?.students.length ?? 0) > 0) && !db.prepare(`SELECT 1 FROM raw_roster LIMIT 1`).get()) return [];
  const select = db.prepare(
    `SELECT rc.site, rc.course, r.students FROM raw_roster r JOIN raw_class rc ON rc.id = r.class_id WHERE rc.snapshot_id = ? AND rc.period = ?`,
  );
  const sites = new Codes();
  const courses = new Codes();
  const placesOf = (period: string, snapshot: string): StudentPlaces => {
    const parsed = justStored?.files.get(snapshot);
    return parsed ? placesFromMemory(parsed, period, justStored!.pseudonyms(), sites, courses) : placesFromDb(select, period, snapshot, sites, courses);
  };
  const transitions: PlatinumTransition[] = [];
  let ordinals = 0;
  for (const parsed of files) for (const s of parsed.members?.students ?? []) ordinals = Math.max(ordinals, s + 1);
  /** For each student ordinal, the first of its enrolments in the later period (-1: none), then `next` along them. */
  const head = new Int32Array(ordinals).fill(-1);
  let previous: { period: string; places: StudentPlaces | null; memory: PeriodInMemory | null } | null = null;
  for (const [period, snapshot] of owners) {
    const stored = justStored?.files.get(snapshot);
    const memory = stored ? periodInMemory(stored, period, sites, courses) : null;
    const counts = new PairCounts(sites.size, courses.size);
    let places: StudentPlaces | null = null;
    if (memory && previous?.memory) {
      const next = new Int32Array(memory.students.length);
      for (let j = 0; j < memory.students.length; j++) {
        const s = memory.students[j]!;
        next[j] = head[s]!;
        head[s] = j;
      }
      const was = previous.memory;
      for (let i = 0; i < was.students.length; i++) {
        const at = was.places[i]!;
        for (let j = head[was.students[i]!]!; j >= 0; j = next[j]!) counts.add(at, memory.places[j]! % CODE_SPAN);
      }
      for (let j = 0; j < memory.students.length; j++) head[memory.students[j]!] = -1;
    } else {
      places = placesOf(period, snapshot);
      if (previous) {
        const wasPlaces = previous.places ?? placesOf(previous.period, owners.get(previous.period)!);
        const now = places;
        wasPlaces.forEachStudent((student, wasAt) => {
          now.forEachPlace(student, (to) => {
            for (const at of wasAt) counts.add(at, to % CODE_SPAN);
          });
        });
      }
    }
    if (previous) {
      const from = previous.period;
      counts.forEach((at, to, students) => {
        transitions.push({ from_period: from, site: sites.label(Math.floor(at / CODE_SPAN)), from_course: courses.label(at % CODE_SPAN), to_course: courses.label(to), students });
      });
    }
    previous = { period, places, memory };
  }
  return transitions;
}

/** One period's students and where they were, read from the stored rosters. */
function placesFromDb(select: ReturnType<ReadableDB['prepare']>, period: string, snapshot: string, sites: Codes, courses: Codes): StudentPlaces {
  const places = new StudentPlaces();
  for (const [site, course, b] of select.raw().iterate(snapshot, period) as Iterable<[string, string, Buffer]>) {
    const place = sites.code(foldKey(site)) * CODE_SPAN + courses.code(foldKey(course));
    for (let k = 0; k < b.length; k += PSEUDONYM_BYTES) places.add(studentKey(b, k), place);
  }
  return places;
}

/** One period of a snapshot this import stores, as placesFromDb would read it back once its rosters are written. */
function placesFromMemory(parsed: ParsedFile, period: string, pseudonyms: Buffer, sites: Codes, courses: Codes): StudentPlaces {
  const places = new StudentPlaces();
  const members = parsed.members;
  if (!members) return places;
  for (const i of classIndexesOf(parsed, period)) {
    const c = parsed.classes[i]!;
    const place = sites.code(foldKey(c.site)) * CODE_SPAN + courses.code(foldKey(c.course));
    for (let k = members.starts[i]!; k < members.starts[i + 1]!; k++) places.add(studentKey(pseudonyms, members.students[k]! * PSEUDONYM_BYTES), place);
  }
  return places;
}

/** A student by the pseudonym at `offset`: 48 bits of a keyed hash tell students apart as well as 128 here, and a number is a cheap Map key. */
function studentKey(b: Uint8Array, offset: number): number {
  return b[offset]! + 256 * (b[offset + 1]! + 256 * (b[offset + 2]! + 256 * (b[offset + 3]! + 256 * (b[offset + 4]! + 256 * b[offset + 5]!))));
}

/** Up to 65,536 distinct sites and courses: a site and two courses fit one exact JavaScript number (2^48). */
const CODE_SPAN = 2 ** 16;

class Codes {
  private readonly codes = new Map<string, number>();
  private readonly labels: string[] = [];
  get size(): number {
    return this.labels.length;
  }
  code(label: string): number {
    let code = this.codes.get(label);
    if (code === undefined) {
      this.codes.set(label, (code = this.labels.length));
      this.labels.push(label);
    }
    return code;
  }
  label(code: number): string {
    return this.labels[code]!;
  }
}

/** Above this many (site, course, next course) cells, a pair of periods is counted in a Map instead of an array. */
const DENSE_CELLS = 1 << 22;

/**
 * How many students went from a place (site and course) in one period to a course in the next, wherever they took
 * it. Every code is known before a pair is counted, so the usual few sites and few dozen courses are counted in a
 * flat array (a million enrolments: about 15 ms less than a Map of numbers); many more fall back to the Map.
 */
class PairCounts {
  private readonly cells: Int32Array | null;
  private readonly byKey = new Map<number, number>();
  constructor(
    sites: number,
    private readonly courses: number,
  ) {
    this.cells = sites * courses * courses <= DENSE_CELLS ? new Int32Array(sites * courses * courses) : null;
  }
  /** One student from `at` (site * CODE_SPAN + course) to course `to`. */
  add(at: number, to: number): void {
    if (this.cells) this.cells[(Math.floor(at / CODE_SPAN) * this.courses + (at % CODE_SPAN)) * this.courses + to]!++;
    else {
      const key = at * CODE_SPAN + to;
      this.byKey.set(key, (this.byKey.get(key) ?? 0) + 1);
    }
  }
  forEach(visit: (at: number, to: number, students: number) => void): void {
    const cells = this.cells;
    const c = this.courses;
    if (!cells) for (const [key, students] of this.byKey) visit(Math.floor(key / CODE_SPAN), key % CODE_SPAN, students);
    else {
      for (let i = 0; i < cells.length; i++) {
        if (cells[i] === 0) continue;
        const place = Math.floor(i / c);
        visit(Math.floor(place / c) * CODE_SPAN + (place % c), i % c, cells[i]!);
      }
    }
  }
}

/**
 * Where each student was in one period. Most take one class a period: their place is the map's value itself; the
 * few with more have a negative value pointing into a list, so every student costs one map entry and one lookup.
 */
class StudentPlaces {
  private readonly places = new Map<number, number>();
  private readonly lists: number[][] = [];
  add(student: number, place: number): void {
    const known = this.places.get(student);
    if (known === undefined) this.places.set(student, place);
    else if (known >= 0) this.places.set(student, -this.lists.push([known, place]));
    else this.lists[-known - 1]!.push(place);
  }
  forEachStudent(visit: (student: number, places: readonly number[]) => void): void {
    for (const [student, value] of this.places) visit(student, value >= 0 ? [value] : this.lists[-value - 1]!);
  }
  forEachPlace(student: number, visit: (place: number) => void): void {
    const value = this.places.get(student);
    if (value === undefined) return;
    if (value >= 0) visit(value);
    else for (const place of this.lists[-value - 1]!) visit(place);
  }
}

/** The classes of a platinum version, of one period when `period` is given. */
export function loadPlatinumClasses(db: ReadableDB, versionId: string, period?: string): PlatinumClass[] {
  return period === undefined
    ? (db.prepare(`SELECT period, site, course, schedule, students FROM platinum_class WHERE version_id = ? ORDER BY period, site, course, schedule`).all(versionId) as PlatinumClass[])
    : (db.prepare(`SELECT period, site, course, schedule, students FROM platinum_class WHERE version_id = ? AND period = ? ORDER BY site, course, schedule`).all(versionId, period) as PlatinumClass[]);
}

/**
 * Each class's capacity in the last period before `period` in which it ran with one, by `labelsString`: a room
 * keeps its seats from one period to the next more often than not, and a period that gave none says nothing.
 */
export function lastCapacities(db: ReadableDB, versionId: string, period: string): Map<string, number> {
  // SQLite takes the bare columns of an aggregate query from the row that gave MAX(period).
  const rows = db
    .prepare(`SELECT site, course, schedule, capacity, MAX(period) FROM platinum_class WHERE version_id = ? AND period < ? AND students > 0 AND capacity IS NOT NULL GROUP BY site, course, schedule`)
    .all(versionId, period) as (ClassLabels & { capacity: number })[];
  return new Map(rows.map((r) => [labelsString(r), r.capacity]));
}

/** How many classes ran in one period of a platinum version, and with how many students in all. */
export function periodTotals(db: ReadableDB, versionId: string, period: string): { classes: number; students: number } {
  return db.prepare(`SELECT COUNT(*) AS classes, COALESCE(SUM(students), 0) AS students FROM platinum_class WHERE version_id = ? AND period = ?`).get(versionId, period) as { classes: number; students: number };
}

export function loadPlatinumTransitions(db: ReadableDB, versionId: string): PlatinumTransition[] {
  return db.prepare(`SELECT from_period, site, from_course, to_course, students FROM platinum_transition WHERE version_id = ?`).all(versionId) as PlatinumTransition[];
}

/** Students per period of a platinum version, in the order of its periods: what a forecast's total is judged by. */
export function studentsPerPeriod(db: ReadableDB, versionId: string): { summary: PlatinumSummary; totals: number[] } | null {
  const platinum = findVersion<PlatinumSummary>(db, versionId);
  if (!platinum) return null;
  const byPeriod = new Map((db.prepare(`SELECT period, SUM(students) AS n FROM platinum_class WHERE version_id = ? GROUP BY period`).all(versionId) as { period: string; n: number }[]).map((r) => [r.period, r.n]));
  return { summary: platinum.summary, totals: platinum.summary.periods.map((p) => byPeriod.get(p) ?? 0) };
}

/** Per period: all its students, and those in a course their site offered that period for the first time. */
export function newCourseShares(db: ReadableDB, versionId: string): Map<string, { students: number; fresh: number }> {
  const rows = db.prepare(
    `WITH first AS (SELECT site, course, MIN(period) AS period FROM platinum_class WHERE version_id = ? AND students > 0 GROUP BY site, course)
     SELECT c.period, SUM(c.students) AS students, SUM(CASE WHEN f.period = c.period THEN c.students ELSE 0 END) AS fresh
     FROM platinum_class c JOIN first f ON f.site = c.site AND f.course = c.course WHERE c.version_id = ? GROUP BY c.period`,
  ).all(versionId, versionId) as { period: string; students: number; fresh: number }[];
  return new Map(rows.map((r) => [r.period, { students: r.students, fresh: r.fresh }]));
}
