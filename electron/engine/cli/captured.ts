import { runCli } from './run';

/**
 * The command line as the tests run it: in this process, its output kept rather than printed, in Spanish (Peru)
 * unless `env` says otherwise — what a user in the default locale would read.
 */
export async function runCaptured(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } }, { LANG: 'es_PE.UTF-8', ...env });
  return { code, stdout, stderr };
}
