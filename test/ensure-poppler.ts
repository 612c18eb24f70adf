/**
 * The report tests read the PDFs back with poppler's pdftotext. On a fresh Debian machine where we are root,
 * install it; anywhere else say in one sentence how, and let those tests report themselves skipped.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const found = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].some((file) => fs.existsSync(file));
if (!found) {
  const root = process.getuid?.() === 0;
  if (!root || !fs.existsSync('/usr/bin/apt-get')) {
    console.warn('pdftotext no está instalado: las pruebas de los informes PDF leerán menos (sudo apt-get install poppler-utils). / pdftotext is not installed: the PDF report tests will read less (sudo apt-get install poppler-utils).');
  } else {
    console.log('Installing Debian’s poppler-utils (pdftotext) for the report tests…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
      execFileSync('apt-get', ['install', '-y', '-qq', 'poppler-utils'], { stdio: 'inherit', env });
    } catch (error) {
      // The reports are still tested without it, on their gathered figures and sentences.
      console.warn(`poppler-utils could not be installed (${(error as Error).message}): the PDF report tests will read less.`);
    }
  }
}
