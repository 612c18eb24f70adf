import type * as TF from '@tensorflow/tfjs';
import { yieldToEventLoop } from '../event-loop';
import type { FeatureRow } from '../features/build';
import { FEATURE_NAMES, F } from '../features/build';
import { UserError } from '../errors';
import { recentRows } from './boosted';
import { loadTf } from './tf';
import type { Candidate, FittedModel, TrainingExamples } from './types';
import { seededRandom } from './random';

/** Counts enter the network on a log scale; rates, flags and positions as they are. */
const LOG_SCALED = new Set<number>([
  F.lag1, F.lag2, F.lag3, F.ma3, F.same_season, F.feeder_lag1, F.feeder_site_lag1, F.cohort_estimate,
  F.site_total_lag1, F.course_total_lag1, F.runs_before, F.ratio_weight, F.entry_trend, F.feeder_lag2, F.site_course_lag1,
  F.site_course_same_season,
]);

/** The network learns a correction of the cohort estimate: its output is added to log(cohort estimate). */
function offsetOf(x: ArrayLike<number>): number {
  return Math.log(Math.max(x[F.cohort_estimate]!, 0) + 0.5);
}

const EMBEDDING = { site: 3, course: 6, schedule: 4, slot: 3 } as const;
/**
 * Only the most frequent sites, courses and schedules get their own embedding; rarer ones share the "unknown"
 * slot. A university has thousands of course codes, and a one-hot input that wide would make training crawl
 * while adding little: those courses are still described by their own counts.
 */
const MAX_VOCABULARY = 200;
/**
 * Large batches and few steps: TF.js's cost here is per operation, not per row, and a correction of the cohort
 * estimate needs far fewer steps than learning counts from nothing did (2,500 steps of 256 before).
 */
const BATCH = 1024;
const TARGET_STEPS = 300;

const LEARNING_RATE = 0.01;
const HIDDEN_LAYERS = [32, 16] as const;
const EPOCHS = { min: 4, max: 40 } as const;

interface NeuralState {
  vocab: { site: string[]; course: string[]; schedule: string[] };
  mean: number[];
  std: number[];
  weights: { shape: number[]; data: string }[];
  seed: number;
}

function numeric(x: ArrayLike<number>): number[] {
  return Array.from(x, (v, i) => (LOG_SCALED.has(i) ? Math.log1p(Math.max(v, 0)) : v));
}

interface EncodedRows {
  n: number;
  codes: { site: Int32Array; course: Int32Array; schedule: Int32Array; slot: Int32Array };
  values: Float32Array;
  offsets: Float32Array;
}

const SLOTS = 13;

/** Index 0 stands for "not seen in training" (a new site or course), so forecasting never fails on it. */
function encoder(vocab: NeuralState['vocab'], mean: number[], std: number[]) {
  const maps = {
    site: new Map(vocab.site.map((v, i) => [v, i + 1])),
    course: new Map(vocab.course.map((v, i) => [v, i + 1])),
    schedule: new Map(vocab.schedule.map((v, i) => [v, i + 1])),
  };
  return (rows: readonly FeatureRow[]): EncodedRows => {
    const n = rows.length;
    const codes = { site: new Int32Array(n), course: new Int32Array(n), schedule: new Int32Array(n), slot: new Int32Array(n) };
    const values = new Float32Array(n * FEATURE_NAMES.length);
    const offsets = Float32Array.from(rows, (r) => offsetOf(r.x));
    rows.forEach((r, i) => {
      codes.site[i] = maps.site.get(r.site) ?? 0;
      codes.course[i] = maps.course.get(r.course) ?? 0;
      codes.schedule[i] = maps.schedule.get(r.schedule) ?? 0;
      codes.slot[i] = Math.min(Math.max(Math.round(r.x[F.slot]!), 0), SLOTS - 1);
      numeric(r.x).forEach((v, j) => (values[i * FEATURE_NAMES.length + j] = (v - mean[j]!) / std[j]!));
    });
    return { n, codes, values, offsets };
  };
}

/**
 * The network's inputs for rows [start, end) of an encoded set. Categories go in one-hot: TF.js's WebAssembly
 * backend has no kernel for the gradient of an embedding lookup, and a one-hot row times a weight matrix is the
 * same embedding.
 */
function inputsFor(tf: typeof TF, vocab: NeuralState['vocab'], e: EncodedRows, order: Int32Array, start: number, end: number): TF.Tensor[] {
  const take = (codes: Int32Array) => Int32Array.from(order.subarray(start, end), (i) => codes[i]!);
  const width = FEATURE_NAMES.length;
  const values = new Float32Array((end - start) * width);
  for (let k = start; k < end; k++) values.set(e.values.subarray(order[k]! * width, order[k]! * width + width), (k - start) * width);
  return tf.tidy(() => [
    tf.oneHot(tf.tensor1d(take(e.codes.site), 'int32'), vocab.site.length + 1).toFloat(),
    tf.oneHot(tf.tensor1d(take(e.codes.course), 'int32'), vocab.course.length + 1).toFloat(),
    tf.oneHot(tf.tensor1d(take(e.codes.schedule), 'int32'), vocab.schedule.length + 1).toFloat(),
    tf.oneHot(tf.tensor1d(take(e.codes.slot), 'int32'), SLOTS).toFloat(),
    tf.tensor2d(values, [end - start, width]),
    tf.tensor2d(Float32Array.from(order.subarray(start, end), (i) => e.offsets[i]!), [end - start, 1]),
  ]);
}

/**
 * Wide & deep: embeddings of site, course, schedule and season beside the numeric features feed a small
 * network; a linear path on the numeric features lets it start from what the baselines already know.
 * Its output is the log of the expected count, trained with the Poisson loss that fits counts.
 */
function buildNetwork(tf: typeof TF, vocab: NeuralState['vocab'], seed: number): TF.LayersModel {
  let k = 0;
  const init = () => tf.initializers.glorotUniform({ seed: seed + k++ });
  const embed = (size: number, dim: number, name: string) => {
    const input = tf.input({ shape: [size], name: `${name}_onehot` });
    const embedded = tf.layers.dense({ units: dim, useBias: false, kernelInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seed + k++ }) }).apply(input) as TF.SymbolicTensor;
    return { input, embedded };
  };
  const site = embed(vocab.site.length + 1, EMBEDDING.site, 'site');
  const course = embed(vocab.course.length + 1, EMBEDDING.course, 'course');
  const schedule = embed(vocab.schedule.length + 1, EMBEDDING.schedule, 'schedule');
  const slot = embed(SLOTS, EMBEDDING.slot, 'slot');
  const values = tf.input({ shape: [FEATURE_NAMES.length], name: 'values' });
  const joined = tf.layers.concatenate().apply([site.embedded, course.embedded, schedule.embedded, slot.embedded, values]) as TF.SymbolicTensor;
  const h1 = tf.layers.dense({ units: HIDDEN_LAYERS[0], activation: 'relu', kernelInitializer: init() }).apply(joined) as TF.SymbolicTensor;
  const h2 = tf.layers.dense({ units: HIDDEN_LAYERS[1], activation: 'relu', kernelInitializer: init() }).apply(h1) as TF.SymbolicTensor;
  const deep = tf.layers.dense({ units: 1, kernelInitializer: init() }).apply(h2) as TF.SymbolicTensor;
  const wide = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.zeros() }).apply(values) as TF.SymbolicTensor;
  const offset = tf.input({ shape: [1], name: 'offset' });
  const out = tf.layers.add().apply([deep, wide, offset]) as TF.SymbolicTensor;
  return tf.model({ inputs: [site.input, course.input, schedule.input, slot.input, values, offset], outputs: out });
}

const PREDICT_CHUNK = 1024;

function fitted(tf: typeof TF, network: TF.LayersModel, state: Omit<NeuralState, 'weights'>): FittedModel {
  const encode = encoder(state.vocab, state.mean, state.std);
  return {
    predict: async (rows) => {
      const encoded = encode(rows);
      const identity = Int32Array.from({ length: rows.length }, (_, i) => i);
      const out = new Float64Array(rows.length);
      for (let start = 0; start < rows.length; start += PREDICT_CHUNK) {
        const end = Math.min(start + PREDICT_CHUNK, rows.length);
        const inputs = inputsFor(tf, state.vocab, encoded, identity, start, end);
        const rate = tf.tidy(() => (network.predict(inputs) as TF.Tensor).clipByValue(-10, 10).exp().dataSync());
        inputs.forEach((t) => t.dispose());
        out.set(Float64Array.from(rate), start);
        await yieldToEventLoop();
      }
      return out;
    },
    artifact: () => ({
      candidate: 'neural',
      kind: 'neural',
      state: {
        ...state,
        weights: network.getWeights().map((w) => ({ shape: w.shape, data: Buffer.from((w.dataSync() as Float32Array).buffer.slice(0)).toString('base64') })),
      } satisfies NeuralState,
    }),
    dispose: () => network.dispose(),
  };
}

/** The most frequent values (ties by name, so the vocabulary is the same for the same data), in name order. */
function frequent(values: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_VOCABULARY)
    .map(([v]) => v)
    .sort();
}

async function fitNeural(all: TrainingExamples, seed: number, signal?: AbortSignal): Promise<FittedModel> {
  const tf = await loadTf();
  // The trees fall back on the cohort estimate where history is too short to learn from (recentRows gives none);
  // a network has no such fallback in its weights, so it learns from whatever there is.
  const recent = recentRows(all.rows);
  const kept = recent.length > 0 ? recent : all.rows.map((_, i) => i);
  const train = { rows: kept.map((i) => all.rows[i]!), y: Float64Array.from(kept, (i) => all.y[i]!) };
  const vocab = { site: frequent(train.rows.map((r) => r.site)), course: frequent(train.rows.map((r) => r.course)), schedule: frequent(train.rows.map((r) => r.schedule)) };
  const n = train.rows.length;
  const mean = new Array<number>(FEATURE_NAMES.length).fill(0);
  const sq = new Array<number>(FEATURE_NAMES.length).fill(0);
  for (const r of train.rows) numeric(r.x).forEach((v, j) => ((mean[j]! += v / n), (sq[j]! += (v * v) / n)));
  const std = mean.map((m, j) => Math.sqrt(Math.max(sq[j]! - m * m, 0)) || 1);

  const network = buildNetwork(tf, vocab, seed);
  const encoded = encoder(vocab, mean, std)(train.rows);
  const optimizer = tf.train.adam(LEARNING_RATE);
  const random = seededRandom(seed);
  const stepsPerEpoch = Math.ceil(n / BATCH);
  const epochs = Math.min(EPOCHS.max, Math.max(EPOCHS.min, Math.round(TARGET_STEPS / stepsPerEpoch)));
  const order = new Int32Array(n).map((_, i) => i);
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let start = 0; start < n; start += BATCH) {
        const end = Math.min(start + BATCH, n);
        const inputs = inputsFor(tf, vocab, encoded, order, start, end);
        const yb = tf.tensor2d(Float32Array.from(order.subarray(start, end), (i) => train.y[i]!), [end - start, 1]);
        optimizer.minimize(() => {
          const z = (network.apply(inputs, { training: true }) as TF.Tensor).clipByValue(-10, 10);
          // Poisson negative log-likelihood on the log-rate: exp(z) − y·z.
          return tf.mean(tf.sub(tf.exp(z), tf.mul(yb, z))) as TF.Scalar;
        });
        inputs.forEach((t) => t.dispose());
        yb.dispose();
        // One fit holds the thread for seconds: let reads and a cancel through between batches.
        await yieldToEventLoop(signal);
      }
    }
  } catch (error) {
    network.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
  return fitted(tf, network, { vocab, mean, std, seed });
}

/** Rebuilds a stored network to forecast with, exactly as it was trained. */
export async function restoreNeural(state: NeuralState): Promise<FittedModel> {
  if (state.mean.length !== FEATURE_NAMES.length) {
    throw new UserError({
      es: 'El modelo en servicio se entrenó con una versión anterior de Cupo: ejecute «cupo train» de nuevo.',
      en: 'The serving model was trained by an earlier version of Cupo: run "cupo train" again.',
    }, 'failed');
  }
  const tf = await loadTf();
  const network = buildNetwork(tf, state.vocab, state.seed);
  const weights = state.weights.map((w) => tf.tensor(new Float32Array(Uint8Array.from(Buffer.from(w.data, 'base64')).buffer), w.shape));
  network.setWeights(weights);
  weights.forEach((w) => w.dispose());
  return fitted(tf, network, state);
}

export const neural: Candidate = {
  name: 'neural',
  kind: 'neural',
  description: {
    es: 'Red neuronal (TensorFlow.js) que corrige la estimación por cohortes con sede, curso, horario y estacionalidad.',
    en: 'Neural network (TensorFlow.js) that corrects the cohort estimate with site, course, schedule and season.',
  },
  params: {
    hidden_layers: [...HIDDEN_LAYERS],
    embedding: { ...EMBEDDING },
    max_vocabulary: MAX_VOCABULARY,
    learning_rate: LEARNING_RATE,
    optimizer: 'adam',
    loss: 'poisson',
    batch: BATCH,
    target_steps: TARGET_STEPS,
    epochs: { ...EPOCHS },
  },
  fit: fitNeural,
};

export type { NeuralState };
