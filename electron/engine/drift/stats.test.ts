import { describe, expect, it } from 'vitest';
import { chiSquareTest, columnDrift, datasetDrifted, histogramShares, jensenShannonDistance, ksTest, populationStabilityIndex, psiBand, sturgesEdges, wassersteinDistance, wassersteinNormed, zTest } from './stats';

// Expected values computed with scipy 1.17 / numpy (stats.ks_2samp, stats.chisquare, stats.wasserstein_distance,
// spatial.distance.jensenshannon, np.histogram_bin_edges(bins='sturges')), the code Evidently's tests call.
const A = [12, 15, 9, 20, 18, 14, 11, 16, 13, 17, 19, 10, 15, 14];
const B = [22, 25, 19, 30, 21, 24, 18, 27, 26, 23, 20];
const X = [20, 21, 19, 16, 18, 16, 20, 25, 18, 18, 22, 21, 20, 16, 20, 23, 15, 18, 12, 15, 13, 19, 15, 21, 21, 19, 10, 18, 20, 20, 14, 18, 16, 17, 24, 17, 20, 24, 18, 20, 20, 20, 15, 20, 25, 14, 23, 20, 17, 28, 23, 15, 20, 22, 19, 23, 20, 23, 26, 17];
const Y = [24, 21, 24, 18, 21, 22, 27, 28, 18, 20, 26, 15, 21, 23, 28, 26, 22, 22, 22, 29, 21, 22, 24, 23, 22, 19, 23, 21, 28, 26, 23, 26, 22, 27, 23, 25, 18, 24, 16, 15, 22, 19, 24, 32, 20];
const counts = (o: Record<string, number>) => new Map(Object.entries(o));

describe('two-sample Kolmogorov-Smirnov', () => {
  it('matches scipy ks_2samp (exact) on distinct samples', () => {
    const r = ksTest(A, B);
    expect(r.statistic).toBeCloseTo(0.7857142857142857, 12);
    expect(r.pValue).toBeCloseTo(0.00025710055189123704, 9);
    expect(r.method).toBe('exact');
  });

  it('matches scipy on class sizes with many ties', () => {
    const r = ksTest(X, Y);
    expect(r.statistic).toBeCloseTo(0.49444444444444446, 12);
    expect(r.pValue / 3.2945339660206673e-6).toBeCloseTo(1, 6);
  });

  it('gives p = 1 for samples from one distribution that barely differ', () => {
    expect(ksTest(A, [...A, 13, 16]).pValue).toBeCloseTo(1, 9);
  });

  it('uses the asymptotic distribution beyond 10,000 values, close to scipy', () => {
    const big = Array.from({ length: 12_000 }, (_, i) => i / 12_000);
    const small = Array.from({ length: 900 }, (_, i) => (i + 0.5) / 900 + 0.03);
    const r = ksTest(big, small);
    expect(r.method).toBe('asymptotic');
    expect(r.statistic).toBeCloseTo(0.030638888888888993, 12);
    // scipy (method='asymp', kstwo with n = 836): p = 0.4037; Stephens' formula for Kolmogorov's limit is close.
    expect(Math.abs(r.pValue - 0.4036995561876584)).toBeLessThan(0.01);
  });
});

describe('chi-square and z tests', () => {
  it('matches scipy chisquare against the reference shares', () => {
    const r = chiSquareTest(counts({ A: 50, B: 30, C: 20 }), counts({ A: 30, B: 30, C: 40 }));
    expect(r.statistic).toBeCloseTo(28, 10);
    expect(r.df).toBe(2);
    expect(r.pValue).toBeCloseTo(8.31528719103568e-7, 12);
    const s = chiSquareTest(counts({ A: 120, B: 80, C: 40, D: 10 }), counts({ A: 60, B: 45, C: 25, D: 4 }));
    expect(s.statistic).toBeCloseTo(1.3311567164179108, 10);
    expect(s.pValue).toBeCloseTo(0.7217482365396426, 8);
  });

  it('gives p = 0 when the current data has a category the reference never had', () => {
    expect(chiSquareTest(counts({ A: 10, B: 10 }), counts({ A: 10, B: 10, C: 1 })).pValue).toBe(0);
  });

  it('matches the two-proportion z-test', () => {
    const r = zTest(counts({ no: 140, yes: 60 }), counts({ no: 120, yes: 30 }));
    expect(Math.abs(r.statistic)).toBeCloseTo(2.118296364340808, 10);
    expect(r.pValue).toBeCloseTo(0.03414997635455563, 10);
  });
});

describe('distances and PSI', () => {
  it('matches scipy wasserstein_distance, and Evidently normalises it by the reference std', () => {
    expect(wassersteinDistance(A, B)).toBeCloseTo(8.681818181818183, 10);
    expect(wassersteinNormed(A, B)).toBeCloseTo(2.711744410974888, 10);
    expect(wassersteinNormed(X, Y)).toBeCloseTo(1.0275551496176198, 10);
  });

  it('matches scipy jensenshannon (natural log)', () => {
    expect(jensenShannonDistance([0.5, 0.3, 0.2], [0.3, 0.3, 0.4])).toBeCloseTo(0.17211473103812178, 12);
    expect(jensenShannonDistance([0.5, 0.5, 0], [0, 0.5, 0.5])).toBeCloseTo(0.5887050112577373, 12);
    expect(jensenShannonDistance([1, 2, 3], [1, 2, 3])).toBe(0);
  });

  it('computes PSI and reads its bands', () => {
    expect(populationStabilityIndex([0.5, 0.3, 0.2], [0.3, 0.3, 0.4])).toBeCloseTo(0.2407945608651872, 12);
    expect(populationStabilityIndex([0.25, 0.25, 0.25, 0.25], [0.4, 0.3, 0.2, 0.1])).toBeCloseTo(0.22821740957339182, 12);
    expect([psiBand(0.05), psiBand(0.1), psiBand(0.24), psiBand(0.25)]).toEqual(['stable', 'moderate', 'moderate', 'significant']);
  });

  it('bins like numpy (Sturges edges, histogram shares)', () => {
    expect(sturgesEdges([...A, ...B])).toEqual([9, 12.5, 16, 19.5, 23, 26.5, 30]);
    const edges = sturgesEdges([...X, ...Y]);
    expect(edges).toEqual([10, 12.75, 15.5, 18.25, 21, 23.75, 26.5, 29.25, 32]);
    const expected = [0.03333333333333333, 0.13333333333333333, 0.25, 0.3, 0.18333333333333332, 0.08333333333333333, 0.016666666666666666, 0];
    histogramShares(X, edges).forEach((s, k) => expect(s).toBeCloseTo(expected[k]!, 12));
  });
});

describe("Evidently's choice of test", () => {
  it('uses KS for a small numerical reference, Wasserstein for a large one', () => {
    expect(columnDrift({ kind: 'numerical', values: X }, { kind: 'numerical', values: Y })).toMatchObject({ test: 'ks', drifted: true });
    const large = Array.from({ length: 1001 }, (_, i) => X[i % X.length]!);
    const r = columnDrift({ kind: 'numerical', values: large }, { kind: 'numerical', values: Y });
    expect(r.test).toBe('wasserstein');
    expect(r.drifted).toBe(true);
  });

  it('uses chi-square for small categorical references, z for two values, JS beyond 1000 rows', () => {
    expect(columnDrift({ kind: 'categorical', counts: counts({ A: 50, B: 30, C: 20 }) }, { kind: 'categorical', counts: counts({ A: 30, B: 30, C: 40 }) })).toMatchObject({ test: 'chisquare', drifted: true });
    expect(columnDrift({ kind: 'categorical', counts: counts({ no: 140, yes: 60 }) }, { kind: 'categorical', counts: counts({ no: 120, yes: 30 }) })).toMatchObject({ test: 'z', drifted: true });
    const js = columnDrift({ kind: 'categorical', counts: counts({ A: 500, B: 300, C: 201 }) }, { kind: 'categorical', counts: counts({ A: 300, B: 300, C: 400 }) });
    expect(js.test).toBe('jensenshannon');
    expect(js.value).toBeCloseTo(0.1715, 3);
    expect(js.drifted).toBe(true);
    expect(js.psi_band).toBe('moderate');
  });

  it('calls the dataset drifted when half of its columns drift', () => {
    expect(datasetDrifted([{ drifted: true }, { drifted: false }])).toEqual({ drifted: true, share: 0.5 });
    expect(datasetDrifted([{ drifted: true }, { drifted: false }, { drifted: false }]).drifted).toBe(false);
  });
});
