import { describe, expect, it } from 'vitest';
import { decidePromotion } from './gate';

const champion = { id: 'model-0003', candidate: 'cohort_progression', wape: 0.177 };

describe('the promotion gate', () => {
  it('keeps the champion when the winner is not better on the same folds, and says so in both languages', () => {
    expect(decidePromotion({ winner: { candidate: 'neural', wape: 0.181 }, champion, margin: 0.02, force: false })).toEqual({
      promote: false,
      how: 'train',
      reason: {
        es: 'El nuevo modelo (Red neuronal, 18.1%) no mejora al actual (Avance desde el curso previo, 17.7%); se mantiene el actual.',
        en: 'The new model (Neural network, 18.1%) does not improve on the current one (Progression from the previous course, 17.7%); the current one stays.',
      },
    });
  });

  it('asks for the margin: winner < champion × (1 − margin)', () => {
    const within = decidePromotion({ winner: { candidate: 'neural', wape: 0.174 }, champion, margin: 0.02, force: false });
    expect(within.promote).toBe(false);
    expect(within.reason.en).toBe('The new model (Neural network, 17.4%) improves on the current one (Progression from the previous course, 17.7%) by less than the 2% required; the current one stays.');
    const beyond = decidePromotion({ winner: { candidate: 'neural', wape: 0.17 }, champion, margin: 0.02, force: false });
    expect(beyond).toMatchObject({ promote: true, how: 'train' });
    expect(beyond.reason.es).toBe('El nuevo modelo (Red neuronal, 17.0%) mejora al actual (Avance desde el curso previo, 17.7%); pasa a usarse el nuevo.');
    expect(decidePromotion({ winner: { candidate: 'neural', wape: 0.174 }, champion, margin: 0, force: false }).promote).toBe(true);
  });

  it('promotes the first model, and a forced one (recorded as forced)', () => {
    expect(decidePromotion({ winner: { candidate: 'neural', wape: 0.2 }, champion: null, margin: 0.02, force: false })).toMatchObject({ promote: true, how: 'train' });
    const forced = decidePromotion({ winner: { candidate: 'last_value', wape: 0.5 }, champion: { ...champion, wape: null }, margin: 0.02, force: true });
    expect(forced).toMatchObject({ promote: true, how: 'force' });
    expect(forced.reason.en).toBe('The change was forced: the new model (Repeat last period, 50.0%) replaces the current one (Progression from the previous course).');
  });

  it('refreshes the champion’s own method with newer data: on the same folds the two are one computation', () => {
    const refresh = decidePromotion({ winner: { candidate: 'cohort_progression', wape: 0.177 }, champion, margin: 0.02, force: false });
    expect(refresh).toMatchObject({ promote: true, how: 'train' });
    expect(refresh.reason.en).toMatch(/trained on the newest data, is used from now on\.$/);
  });

  it('does not promote over a champion it could not re-score', () => {
    expect(decidePromotion({ winner: { candidate: 'neural', wape: 0.1 }, champion: { ...champion, candidate: 'from_the_future', wape: null }, margin: 0.02, force: false }).promote).toBe(false);
  });
});
