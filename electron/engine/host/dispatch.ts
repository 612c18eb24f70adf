import type { CallResult, Method } from '../../../shared/contract';
import { CONTRACT } from '../../../shared/contract';
import { UserError } from '../errors';
import type { CallContext, Handlers } from './handlers';

function isMethod(name: string): name is Method {
  return Object.hasOwn(CONTRACT, name);
}

/**
 * The single door into the engine: the method must be in the contract and its arguments must pass its schema,
 * whoever calls (worker message, HTTP request, IPC). Failures come back as one user-facing sentence.
 */
export async function dispatch(handlers: Handlers, method: string, args: unknown, call: CallContext): Promise<CallResult<unknown>> {
  if (!isMethod(method)) {
    return { ok: false, error: { code: 'unknown_method', message: { es: `Cupo no tiene la operación «${method}».`, en: `Cupo has no operation "${method}".` } } };
  }
  const parsed = CONTRACT[method].args.safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(argumentos / arguments)';
    return {
      ok: false,
      error: { code: 'invalid_arguments', message: { es: `Datos no válidos para «${method}» en ${where}: ${issue.message}.`, en: `Invalid arguments for "${method}" at ${where}: ${issue.message}.` } },
    };
  }
  try {
    const handler = handlers[method] as (a: unknown, c: CallContext) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data, call) };
  } catch (error) {
    if (call.signal.aborted) return { ok: false, error: { code: 'cancelled', message: { es: 'Cancelado: no se guardó nada.', en: 'Cancelled: nothing was stored.' } } };
    if (error instanceof UserError) return { ok: false, error: { code: 'user', message: error.bilingualMessage } };
    const detail = (error as Error).message;
    return { ok: false, error: { code: 'internal', message: { es: `Error inesperado: ${detail}`, en: `Unexpected error: ${detail}` } } };
  }
}
