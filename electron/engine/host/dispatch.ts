import type { CallResult } from '../../../shared/contract';
import { checkCall } from '../../../shared/contract';
import { UserError } from '../errors';
import type { CallContext, Handlers } from './call';

const CANCELLED: CallResult<never> = { ok: false, error: { code: 'cancelled', message: { es: 'Cancelado: no se guardó nada.', en: 'Cancelled: nothing was stored.' } } };

/**
 * The single door into the engine: the method must be in the contract and its arguments must pass its schema,
 * whoever calls (worker message, HTTP request, IPC). Failures come back as one user-facing sentence.
 */
export async function dispatch(handlers: Handlers, method: string, args: unknown, call: CallContext): Promise<CallResult<unknown>> {
  const checked = checkCall(method, args);
  if (!checked.ok) return checked;
  // Cancelled while it waited for its turn: it never starts.
  if (call.signal.aborted) return CANCELLED;
  try {
    const handler = handlers[checked.method] as (a: unknown, c: CallContext) => Promise<unknown>;
    return { ok: true, value: await handler(checked.args, call) };
  } catch (error) {
    if (call.signal.aborted) return CANCELLED;
    if (error instanceof UserError) return { ok: false, error: { code: error.kind, message: error.bilingualMessage } };
    const detail = (error as Error).message;
    return { ok: false, error: { code: 'internal', message: { es: `Error inesperado: ${detail}`, en: `Unexpected error: ${detail}` }, ...((error as Error).stack ? { stack: (error as Error).stack } : {}) } };
  }
}
