import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

const IMPACTS = ['critical', 'serious', 'moderate', 'minor'] as const;
type Impact = (typeof IMPACTS)[number];

export interface ScreenAudit {
  screen: string;
  counts: Record<Impact, number>;
  violations: { id: string; impact: string; help: string; nodes: string[] }[];
}

/**
 * axe-core over the page as it is now (WCAG 2.1 A/AA and axe's best practices), kept per screen; `report` prints
 * the violations by impact, one line per screen, and writes the details beside the screenshots.
 */
export class Accessibility {
  readonly audits: ScreenAudit[] = [];

  async audit(page: Page, screen: string): Promise<ScreenAudit> {
    const result = await new AxeBuilder({ page }).analyze();
    const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
    for (const v of result.violations) counts[(v.impact ?? 'minor') as Impact] += v.nodes.length;
    const audit = {
      screen,
      counts,
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact ?? 'minor', help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) })),
    };
    this.audits.push(audit);
    return audit;
  }

  /** The table, printed and saved; the screens whose serious or critical violations must be none. */
  report(dir: string): ScreenAudit[] {
    const width = Math.max(...this.audits.map((a) => a.screen.length), 'screen'.length);
    const lines = [`${'screen'.padEnd(width)}  ${IMPACTS.map((i) => i.padStart(8)).join('  ')}`];
    for (const a of this.audits) lines.push(`${a.screen.padEnd(width)}  ${IMPACTS.map((i) => String(a.counts[i]).padStart(8)).join('  ')}`);
    const details = this.audits.flatMap((a) => a.violations.map((v) => `  ${a.screen}: [${v.impact}] ${v.id} — ${v.help} (${v.nodes.join(', ')})`));
    const text = ['axe-core violations by impact (nodes), per screen:', ...lines, ...(details.length ? ['', ...details] : [])].join('\n');
    console.log(text);
    fs.writeFileSync(path.join(dir, 'axe.txt'), `${text}\n`);
    fs.writeFileSync(path.join(dir, 'axe.json'), JSON.stringify(this.audits, null, 2));
    return this.audits.filter((a) => a.counts.critical + a.counts.serious > 0);
  }
}
