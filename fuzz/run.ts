/**
 * `npm run fuzz`: at least 10,000 random and mutated CSV inputs through the import, then one line per property.
 * `npm run fuzz -- --inputs 50000 --seed 123` runs more, or replays a seed. Exits 1 when any count is not 0.
 */
import { runImportFuzz } from './import-fuzz';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const inputs = Number(arg('inputs') ?? 10_000);
const seed = Number(arg('seed') ?? Math.floor(Math.random() * 2 ** 31));

console.log(`Fuzzing the import with ${inputs.toLocaleString('en-US')} inputs, seed ${seed}…`);
let lastShown = 0;
const result = await runImportFuzz({
  inputs,
  seed,
  onProgress: (done) => {
    if (done - lastShown >= 1000) {
      lastShown = done;
      process.stdout.write(`  ${done.toLocaleString('en-US')} inputs\n`);
    }
  },
});
for (const f of result.failures) console.log(`\n  input ${f.input}: ${f.kind}: ${f.detail}\n    starts ${f.head}`);
console.log(`
inputs          ${result.inputs.toLocaleString('en-US')} (${result.imported.toLocaleString('en-US')} imported, ${result.refused.toLocaleString('en-US')} refused; largest ${(result.largestInputBytes / 1e6).toFixed(1)} MB, slowest ${Math.round(result.slowestInputMs)} ms)
crashes         ${result.crashes}
hangs           ${result.hangs}
partial writes  ${result.partialWrites}
bad messages    ${result.badMessages}
time            ${(result.ms / 1000).toFixed(1)} s (seed ${seed})`);
const clean = result.inputs === inputs && result.crashes + result.hangs + result.partialWrites + result.badMessages === 0;
process.exit(clean ? 0 : 1);
