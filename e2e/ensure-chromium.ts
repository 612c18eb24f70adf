/**
 * The end-to-end tests drive Debian's Chromium (browser downloads are not possible here). On a fresh Debian
 * machine where we are root, install it; anywhere else, say in one sentence what to do.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const browser = process.env.CUPO_CHROMIUM ?? '/usr/bin/chromium';
if (!fs.existsSync(browser)) {
  const root = process.getuid?.() === 0;
  if (!root || !fs.existsSync('/usr/bin/apt-get')) {
    console.error(`No se encontró Chromium en ${browser}: instálelo (sudo apt-get install chromium) o indique su ruta en CUPO_CHROMIUM. / Chromium was not found at ${browser}: install it (sudo apt-get install chromium) or give its path in CUPO_CHROMIUM.`);
    process.exit(1);
  }
  console.log('Installing Debian’s chromium for the end-to-end tests…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
}
