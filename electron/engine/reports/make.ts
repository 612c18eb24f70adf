/**
 * One report, from the database to the PDF's bytes: gather the figures, then draw them. Long enough to be worth
 * progress events, and cancellable between its steps; it writes nothing (the host saves the file).
 */
import type { ProgressEvent } from '../../../shared/contract';
import type { Locale } from '../../../shared/messages';
import type { ReadableDB } from '../db/types';
import { formatPeriod } from '../domain/periods';
import { yieldToEventLoop } from '../event-loop';
import { loadSettings } from '../settings';
import { gatherManagementReport } from './management';
import { gatherModelCard } from './model-card';
import { renderManagementReport } from './render-management';
import { renderModelCard } from './render-model-card';
import type { ReportAlert } from './types';

export interface ReportRequest {
  /** The period of the management report, as the data writes it; the coming one by default. */
  period?: string;
  /** The model card of the model in use instead of the management report. */
  modelCard?: boolean;
  locale: Locale;
  alerts?: readonly ReportAlert[];
}

export interface MadeReport {
  fileName: string;
  pdf: Buffer;
  /** What the report is of, for the audit log. */
  about: { kind: 'management'; period: string; forecast_id: string } | { kind: 'model_card'; model_id: string };
}

export const REPORT_STEPS = 3;

function step(done: number, message: ProgressEvent['message']): ProgressEvent {
  return { stage: 'report', done, total: REPORT_STEPS, message };
}

export async function makeReport(db: ReadableDB, request: ReportRequest, context: { onProgress?: (event: ProgressEvent) => void; signal?: AbortSignal } = {}): Promise<MadeReport> {
  const { onProgress = () => undefined, signal } = context;
  onProgress(step(0, { es: 'Reuniendo las cifras', en: 'Gathering the figures' }));
  // Numbers the user's way (Settings), in whichever language the report is asked in.
  const { region } = loadSettings(db);
  await yieldToEventLoop(signal);
  if (request.modelCard) {
    const card = gatherModelCard(db);
    signal?.throwIfAborted();
    onProgress(step(1, { es: 'Dibujando la ficha del modelo', en: 'Drawing the model card' }));
    await yieldToEventLoop(signal);
    const pdf = await renderModelCard(card, request.locale, region);
    signal?.throwIfAborted();
    return { fileName: `${request.locale === 'es' ? 'ficha-modelo' : 'model-card'}-${card.model.id}.pdf`, pdf, about: { kind: 'model_card', model_id: card.model.id } };
  }
  const report = gatherManagementReport(db, { ...(request.period !== undefined ? { period: request.period } : {}), alerts: request.alerts ?? [] });
  signal?.throwIfAborted();
  onProgress(step(1, { es: 'Dibujando el informe', en: 'Drawing the report' }));
  await yieldToEventLoop(signal);
  const pdf = await renderManagementReport(report, request.locale, region);
  signal?.throwIfAborted();
  const code = formatPeriod(report.period, report.notation.style);
  return { fileName: `${request.locale === 'es' ? 'informe' : 'report'}-${code}.pdf`, pdf, about: { kind: 'management', period: code, forecast_id: report.forecast.id } };
}
