/**
 * The few things a report page is made of — title, headings, sentences, key figures, tables, bar charts — drawn
 * with pdfkit's own primitives. pdfkit is pure JavaScript (no browser to install) and its standard fonts, which
 * every PDF reader has, write Spanish accents through WinAnsi; text outside WinAnsi is replaced, not garbled.
 * The same input gives the same bytes: the document's date is the data's, not the clock's.
 */
import PDFDocument from 'pdfkit';

export const COLORS = {
  text: '#1a202c',
  muted: '#5a6473',
  rule: '#cbd2d9',
  band: '#f1f4f7',
  accent: '#1f4e79',
  now: '#2b6cb0',
  before: '#a9b6c4',
  real: '#c05621',
  promised: '#a9b6c4',
  warn: '#b7791f',
  bad: '#c53030',
};

const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const MARGIN = 42;

/** Characters outside WinAnsi that Cupo's own words or Intl may produce, and what to write instead. */
const REPLACEMENTS: Record<string, string> = { '\u202f': '\u00a0', '\u2009': ' ', '\u2007': ' ', '\u2212': '-', '\u2192': '->', '\u2264': '<=', '\u2265': '>=', '\u2248': '~', '\u2713': '*', '\u2026': '\u2026' };
/** The characters WinAnsi (the standard fonts' encoding) has beyond Latin-1. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Text the standard fonts can write: WinAnsi characters as they are, a few others by their nearest, the rest as "?". */
export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || ch === '\n' || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else out += REPLACEMENTS[ch] ?? (code < 0x20 ? ' ' : '?');
  }
  return out;
}

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

export interface BarSeries {
  name: string;
  color: string;
}

export interface BarChart {
  groups: { label: string; values: (number | null)[] }[];
  series: BarSeries[];
  format: (value: number) => string;
  height?: number;
  /** Draws a horizontal line at this value (a promise, a minimum), with its label. */
  reference?: { value: number; label: string };
}

export interface DocumentInfo {
  title: string;
  subject: string;
  lang: 'es' | 'en';
  /** The data's time: the PDF's creation date, so the same data gives the same file. */
  date: Date;
  footer: string;
  pageWord: (page: number, pages: number) => string;
}

export class ReportPdf {
  readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;

  constructor(private readonly info: DocumentInfo) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
      bufferPages: true,
      lang: info.lang === 'es' ? 'es-419' : 'en-US',
      displayTitle: true,
      info: { Title: winAnsi(info.title), Subject: winAnsi(info.subject), Author: 'Cupo', Creator: 'Cupo', Producer: 'Cupo', CreationDate: info.date, ModDate: info.date },
    });
    this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.done = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
    this.doc.font(FONT).fontSize(9.5).fillColor(COLORS.text);
  }

  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get left(): number {
    return this.doc.page.margins.left;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** The text cut with "…" to fit `width` in the current font (pdfkit's own ellipsis wraps instead, without a height). */
  clip(text: string, width: number): string {
    const safe = winAnsi(text);
    if (this.doc.widthOfString(safe) <= width) return safe;
    let chars = [...safe];
    while (chars.length > 0 && this.doc.widthOfString(`${chars.join('')}…`) > width) chars = chars.slice(0, -1);
    return `${chars.join('').trimEnd()}…`;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  newPage(): void {
    this.doc.addPage();
  }

  pageCount(): number {
    return this.doc.bufferedPageRange().count;
  }

  title(text: string, subtitle: string): void {
    const { doc } = this;
    doc.font(BOLD).fontSize(17).fillColor(COLORS.accent).text(winAnsi(text), this.left, doc.y, { width: this.width });
    doc.moveDown(0.15);
    doc.font(FONT).fontSize(8.5).fillColor(COLORS.muted).text(winAnsi(subtitle), { width: this.width });
    doc.moveDown(0.3);
    doc.moveTo(this.left, doc.y).lineTo(this.left + this.width, doc.y).lineWidth(1).strokeColor(COLORS.accent).stroke();
    doc.moveDown(0.6);
    doc.fillColor(COLORS.text);
  }

  heading(text: string): void {
    const { doc } = this;
    this.ensureSpace(60);
    doc.moveDown(0.5);
    doc.font(BOLD).fontSize(11.5).fillColor(COLORS.accent).text(winAnsi(text), this.left, doc.y, { width: this.width });
    doc.moveDown(0.25);
    doc.font(FONT).fontSize(9.5).fillColor(COLORS.text);
  }

  paragraph(text: string, options: { bold?: boolean; size?: number; color?: string } = {}): void {
    const { doc } = this;
    doc.font(options.bold ? BOLD : FONT).fontSize(options.size ?? 9.5).fillColor(options.color ?? COLORS.text);
    doc.text(winAnsi(text), this.left, doc.y, { width: this.width, lineGap: 1.5 });
    doc.moveDown(0.35);
    doc.font(FONT).fontSize(9.5).fillColor(COLORS.text);
  }

  bullets(items: readonly string[], options: { color?: (i: number) => string } = {}): void {
    const { doc } = this;
    doc.font(FONT).fontSize(9.5);
    items.forEach((item, i) => {
      this.ensureSpace(14);
      const y = doc.y;
      doc.fillColor(options.color?.(i) ?? COLORS.accent).circle(this.left + 4, y + 4.5, 1.8).fill();
      doc.fillColor(COLORS.text).text(winAnsi(item), this.left + 12, y, { width: this.width - 12, lineGap: 1 });
      doc.moveDown(0.2);
    });
    doc.x = this.left;
    doc.moveDown(0.2);
  }

  /** A row of big numbers with their labels: what a reader takes in first. */
  keyFigures(figures: readonly { value: string; label: string; color?: string }[]): void {
    const { doc } = this;
    const gap = 8;
    const w = (this.width - gap * (figures.length - 1)) / figures.length;
    const h = 44;
    this.ensureSpace(h + 8);
    const y = doc.y;
    figures.forEach((f, i) => {
      const x = this.left + i * (w + gap);
      doc.rect(x, y, w, h).fill(COLORS.band);
      doc.font(BOLD).fontSize(16).fillColor(f.color ?? COLORS.accent).text(winAnsi(f.value), x + 8, y + 6, { width: w - 16, lineBreak: false });
      doc.font(FONT).fontSize(7.5).fillColor(COLORS.muted);
      doc.text(this.clip(f.label, w - 16), x + 8, y + 27, { width: w - 16, lineBreak: false });
    });
    doc.x = this.left;
    doc.y = y + h + 8;
    doc.font(FONT).fontSize(9.5).fillColor(COLORS.text);
  }

  /** A table; widths are shares of the page's width. Rows that do not fit go on to the next page under the header again. */
  table(columns: readonly Column[], rows: readonly string[][], options: { size?: number; boldLast?: boolean } = {}): void {
    const { doc } = this;
    const size = options.size ?? 8.5;
    const rowHeight = size + 5;
    const widths = columns.map((c) => c.width * this.width);
    const header = () => {
      const y = doc.y;
      doc.font(BOLD).fontSize(size - 0.5).fillColor(COLORS.muted);
      let x = this.left;
      columns.forEach((c, i) => {
        doc.text(this.clip(c.header, widths[i]! - 4), x + 2, y + 2, { width: widths[i]! - 4, align: c.align ?? 'left', lineBreak: false });
        x += widths[i]!;
      });
      doc.moveTo(this.left, y + rowHeight).lineTo(this.left + this.width, y + rowHeight).lineWidth(0.6).strokeColor(COLORS.rule).stroke();
      doc.y = y + rowHeight + 1;
    };
    this.ensureSpace(rowHeight * Math.min(rows.length + 1, 4));
    header();
    rows.forEach((row, r) => {
      if (doc.y + rowHeight > this.bottom) {
        doc.addPage();
        header();
      }
      const y = doc.y;
      if (r % 2 === 1) doc.rect(this.left, y, this.width, rowHeight).fill(COLORS.band);
      doc.font(options.boldLast && r === rows.length - 1 ? BOLD : FONT).fontSize(size).fillColor(COLORS.text);
      let x = this.left;
      columns.forEach((c, i) => {
        doc.text(this.clip(row[i] ?? '', widths[i]! - 4), x + 2, y + 2.5, { width: widths[i]! - 4, align: c.align ?? 'left', lineBreak: false });
        x += widths[i]!;
      });
      doc.y = y + rowHeight;
    });
    doc.x = this.left;
    doc.moveDown(0.5);
    doc.font(FONT).fontSize(9.5).fillColor(COLORS.text);
  }

  /** Grouped vertical bars, one group per label, one bar per series, the value over each bar. */
  barChart(chart: BarChart): void {
    const { doc } = this;
    const height = chart.height ?? 130;
    const legendH = 14;
    const labelH = 12;
    this.ensureSpace(height + legendH + labelH + 10);
    const top = doc.y + legendH;
    const axisW = 34;
    const x0 = this.left + axisW;
    const plotW = this.width - axisW;
    const values = chart.groups.flatMap((g) => g.values).filter((v): v is number => v !== null);
    const max = niceMax(Math.max(...values, chart.reference?.value ?? 0, 1e-9));

    // Legend, top right.
    doc.font(FONT).fontSize(7.5);
    let lx = this.left + this.width;
    for (const s of [...chart.series].reverse()) {
      const w = doc.widthOfString(winAnsi(s.name));
      lx -= w + 16;
      doc.rect(lx, top - legendH + 2, 8, 8).fill(s.color);
      doc.fillColor(COLORS.muted).text(winAnsi(s.name), lx + 11, top - legendH + 2.5, { lineBreak: false });
    }

    // Grid and scale.
    for (let k = 0; k <= 4; k++) {
      const v = (max * k) / 4;
      const y = top + height - (height * k) / 4;
      doc.moveTo(x0, y).lineTo(x0 + plotW, y).lineWidth(0.4).strokeColor(COLORS.rule).stroke();
      doc.fillColor(COLORS.muted).fontSize(7).text(winAnsi(chart.format(v)), this.left, y - 3.5, { width: axisW - 4, align: 'right', lineBreak: false });
    }

    const groupW = plotW / Math.max(chart.groups.length, 1);
    const barW = Math.min(26, (groupW * 0.75) / chart.series.length);
    chart.groups.forEach((g, gi) => {
      const gx = x0 + gi * groupW + (groupW - barW * chart.series.length) / 2;
      g.values.forEach((v, si) => {
        if (v === null) return;
        const h = (height * v) / max;
        const x = gx + si * barW;
        doc.rect(x + 0.5, top + height - h, barW - 1, h).fill(chart.series[si]!.color);
        if (barW >= 14) {
          doc.fillColor(COLORS.text).fontSize(6.5).text(winAnsi(chart.format(v)), x - 6, top + height - h - 8.5, { width: barW + 12, align: 'center', lineBreak: false });
        }
      });
      doc.fillColor(COLORS.text).fontSize(7.5);
      doc.text(this.clip(g.label, groupW - 2), x0 + gi * groupW + 1, top + height + 3, { width: groupW - 2, align: 'center', lineBreak: false });
    });
    if (chart.reference) {
      const y = top + height - (height * chart.reference.value) / max;
      doc.moveTo(x0, y).lineTo(x0 + plotW, y).lineWidth(0.8).dash(3, { space: 2 }).strokeColor(COLORS.bad).stroke().undash();
      doc.fillColor(COLORS.bad).fontSize(7).text(winAnsi(chart.reference.label), x0 + 2, y - 9, { lineBreak: false });
    }
    doc.x = this.left;
    doc.y = top + height + labelH + 6;
    doc.font(FONT).fontSize(9.5).fillColor(COLORS.text);
  }

  /** One horizontal bar per item, the value at its end: for ranking a few things (models, sites). */
  horizontalBars(items: readonly { label: string; value: number; color?: string }[], format: (value: number) => string, reference?: { value: number; label: string }): void {
    const { doc } = this;
    const rowH = 13;
    const labelW = this.width * 0.34;
    const plotW = this.width - labelW - 40;
    this.ensureSpace(items.length * rowH + 16);
    const top = doc.y;
    const max = niceMax(Math.max(...items.map((i) => i.value), reference?.value ?? 0, 1e-9));
    items.forEach((item, i) => {
      const y = top + i * rowH;
      doc.font(FONT).fontSize(8).fillColor(COLORS.text);
      doc.text(this.clip(item.label, labelW - 6), this.left, y + 2, { width: labelW - 6, lineBreak: false });
      const w = (plotW * item.value) / max;
      doc.rect(this.left + labelW, y + 2, Math.max(w, 0.5), rowH - 4).fill(item.color ?? COLORS.now);
      doc.fillColor(COLORS.text).fontSize(7.5).text(winAnsi(format(item.value)), this.left + labelW + w + 3, y + 3, { lineBreak: false });
    });
    const bottom = top + items.length * rowH;
    if (reference) {
      const x = this.left + labelW + (plotW * reference.value) / max;
      doc.moveTo(x, top).lineTo(x, bottom).lineWidth(0.8).dash(3, { space: 2 }).strokeColor(COLORS.bad).stroke().undash();
      doc.fillColor(COLORS.bad).fontSize(7).text(winAnsi(reference.label), x + 2, bottom + 1, { lineBreak: false });
    }
    doc.x = this.left;
    doc.y = bottom + (reference ? 12 : 4);
    doc.font(FONT).fontSize(9.5).fillColor(COLORS.text);
  }

  /** Writes the footer on every page and returns the file's bytes. */
  async finish(): Promise<Buffer> {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const bottomMargin = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      const y = doc.page.height - MARGIN + 4;
      doc.font(FONT).fontSize(7).fillColor(COLORS.muted);
      doc.text(this.clip(this.info.footer, this.width * 0.8), this.left, y, { width: this.width * 0.8, lineBreak: false });
      doc.text(winAnsi(this.info.pageWord(i + 1, range.count)), this.left, y, { width: this.width, align: 'right', lineBreak: false });
      doc.page.margins.bottom = bottomMargin;
    }
    doc.end();
    return this.done;
  }
}

/** A round top for a chart's scale (1, 1.2, 1.5, 2 … 8 times a power of ten), at or above `value`. */
export function niceMax(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
