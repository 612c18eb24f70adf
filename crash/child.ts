/**
 * The engine process the crash test kills: the real command line (`runCli`, the same code as `cupo`), with its
 * progress line shown as on a terminal so the parent knows how far it got, and one mark once every module is loaded.
 */
import { runCli } from '../electron/engine/cli/run';

process.stderr.write('\n@start\n');
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: { isTTY: true, write: (s: string) => process.stderr.write(s) } });
