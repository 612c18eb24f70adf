/** One self-overwriting status line on a terminal; silent when output is piped or read by a program. */
export class ProgressLine {
  private last = '';
  private lastDraw = 0;

  constructor(private readonly stream: NodeJS.WriteStream | { isTTY?: boolean; write(s: string): unknown }, private readonly enabled: boolean) {}

  update(text: string, force = false): void {
    if (!this.enabled || !this.stream.isTTY) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const padded = text.padEnd(this.last.length);
    this.stream.write(`\r${padded}`);
    this.last = text;
  }

  done(): void {
    if (this.last) this.stream.write(`\r${' '.repeat(this.last.length)}\r`);
    this.last = '';
  }
}
