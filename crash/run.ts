/**
 * `npm run crash`: kills the engine process with SIGKILL at random points of an import, a training, a promotion, a
 * rollback and a restore (20 runs each by default) and checks the database after every kill, then prints the
 * counts. `npm run crash -- --runs 50 --seed 123` runs more, or replays a seed; `--kinds import,train` picks kinds.
 * Exits 1 when any run failed a check.
 */
import type { Kind } from './crash';
import { KINDS, runCrashCampaign } from './crash';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const runsPerKind = Number(arg('runs') ?? 20);
const seed = Number(arg('seed') ?? Math.floor(Math.random() * 2 ** 31));
const kinds = (arg('kinds')?.split(',') ?? [...KINDS]) as Kind[];
const unknown = kinds.find((k) => !(KINDS as readonly string[]).includes(k));
if (unknown) {
  console.error(`Unknown kind "${unknown}"; the kinds are: ${KINDS.join(', ')}.`);
  process.exit(2);
}

console.log(`Killing the engine at random points: ${kinds.join(', ')}; ${runsPerKind} runs each, seed ${seed}…`);
const result = await runCrashCampaign({ runsPerKind, seed, kinds, onRun: (line) => console.log(`  ${line}`) });
for (const f of result.failures) console.log(`\n  FAILED ${f.kind} #${f.run} (${f.point}):\n    ${f.problems.join('\n    ')}`);
const points = [...result.points.entries()].sort(([a], [b]) => a.localeCompare(b));
console.log(`
kill points hit (${points.length}):
${points.map(([point, n]) => `  ${String(n).padStart(3)}  ${point}`).join('\n')}

per kind:
${kinds.map((k) => `  ${k.padEnd(9)} ${result.perKind[k].runs} runs, ${result.perKind[k].kills} killed, ${result.perKind[k].committed} committed, ${(result.perKind[k].ms / 1000).toFixed(1)} s`).join('\n')}

runs            ${result.runs}
kills           ${result.kills}
kill points     ${points.length}
failures        ${result.failures.length}
duration        ${(result.ms / 1000).toFixed(1)} s (seed ${seed})`);
process.exit(result.failures.length === 0 && result.runs === runsPerKind * kinds.length ? 0 : 1);
