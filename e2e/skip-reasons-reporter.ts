import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** The list reporter shows a skipped test's title only; a skip must also say why, where everyone reads it. */
export default class SkipReasonsReporter implements Reporter {
  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return;
    const reason = test.annotations.find((a) => a.type === 'skip')?.description ?? 'no reason given';
    console.log(`  skipped: ${test.title} — ${reason}`);
  }
}
