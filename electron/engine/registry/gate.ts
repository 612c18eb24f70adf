import { both, formatter } from '../../../shared/format';
import type { Bilingual } from '../../../shared/messages';
import { modelName } from '../../../shared/model-names';

/** "Red neuronal, 17.7%": a model and its error, for a sentence. */
function modelWithError(candidate: string, wape: number): Bilingual {
  return both((f) => `${f.model(candidate)}, ${f.pct(wape)}`);
}

export interface GateInput {
  /** The training run's best candidate and its pooled backtest WAPE. */
  winner: { candidate: string; wape: number };
  /** The champion, with its candidate's pooled WAPE on the same folds (null when it could not be re-scored). */
  champion: { id: string; candidate: string; wape: number | null } | null;
  /** Relative improvement required (settings: promotionMargin). */
  margin: number;
  force: boolean;
}

export interface GateVerdict {
  promote: boolean;
  how: 'train' | 'force';
  reason: Bilingual;
}

/**
 * The promotion gate. A new model replaces the champion only when, on the same backtest folds (same data, same
 * seed), its pooled WAPE beats the champion's by the margin: winner < champion × (1 − margin). Smaller
 * differences are noise, and changing the model planners rely on has a cost.
 *
 * When the winner is the champion's own method, the two scores are one and the same computation (the champion's
 * candidate re-scored on these folds is the winner): the margin cannot be met, and the only difference is that the
 * new model learnt from newer data. It is promoted as a refresh; without this, a model would never be refitted
 * on new data.
 */
export function decidePromotion({ winner, champion, margin, force }: GateInput): GateVerdict {
  const fresh = modelWithError(winner.candidate, winner.wape);
  if (!champion) {
    return {
      promote: true,
      how: 'train',
      reason: { es: `No había un modelo en uso; pasa a usarse el nuevo (${fresh.es}).`, en: `There was no model in use; the new one (${fresh.en}) is used from now on.` },
    };
  }
  const currentName = modelName(champion.candidate);
  if (force) {
    const current = champion.wape === null ? currentName : modelWithError(champion.candidate, champion.wape);
    return {
      promote: true,
      how: 'force',
      reason: { es: `Se forzó el cambio: el nuevo modelo (${fresh.es}) reemplaza al actual (${current.es}).`, en: `The change was forced: the new model (${fresh.en}) replaces the current one (${current.en}).` },
    };
  }
  if (champion.wape === null) {
    return {
      promote: false,
      how: 'train',
      reason: {
        es: `El modelo actual (${currentName.es}) no se pudo volver a probar con estos datos, así que no hay comparación justa; se mantiene el actual.`,
        en: `The current model (${currentName.en}) could not be tested again on this data, so there is no fair comparison; the current one stays.`,
      },
    };
  }
  const current = modelWithError(champion.candidate, champion.wape);
  if (winner.candidate === champion.candidate) {
    return {
      promote: true,
      how: 'train',
      reason: {
        es: `El mejor sigue siendo el método del modelo actual (${fresh.es}); pasa a usarse el nuevo, entrenado con los datos más recientes.`,
        en: `The best is still the current model's method (${fresh.en}); the new one, trained on the newest data, is used from now on.`,
      },
    };
  }
  if (winner.wape < champion.wape * (1 - margin)) {
    return {
      promote: true,
      how: 'train',
      reason: { es: `El nuevo modelo (${fresh.es}) mejora al actual (${current.es}); pasa a usarse el nuevo.`, en: `The new model (${fresh.en}) improves on the current one (${current.en}); the new one is used from now on.` },
    };
  }
  if (winner.wape < champion.wape) {
    return {
      promote: false,
      how: 'train',
      reason: {
        es: `El nuevo modelo (${fresh.es}) mejora al actual (${current.es}) en menos del ${formatter('es').pct(margin, 0)} que se exige; se mantiene el actual.`,
        en: `The new model (${fresh.en}) improves on the current one (${current.en}) by less than the ${formatter('en').pct(margin, 0)} required; the current one stays.`,
      },
    };
  }
  return {
    promote: false,
    how: 'train',
    reason: { es: `El nuevo modelo (${fresh.es}) no mejora al actual (${current.es}); se mantiene el actual.`, en: `The new model (${fresh.en}) does not improve on the current one (${current.en}); the current one stays.` },
  };
}
