import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';

/**
 * True while the page is being printed (Ctrl+P, the Print button, a PDF): for what only paper needs, such as every
 * row of a table the screen shows virtualised. `beforeprint` renders it before the page is laid out for paper;
 * `matchMedia('print')` covers a print that sends no such event.
 */
export function usePrinting(): boolean {
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    const media = window.matchMedia('print');
    const start = () => flushSync(() => setPrinting(true));
    const stop = () => setPrinting(false);
    const change = (e: MediaQueryListEvent) => (e.matches ? start() : stop());
    window.addEventListener('beforeprint', start);
    window.addEventListener('afterprint', stop);
    media.addEventListener('change', change);
    return () => {
      window.removeEventListener('beforeprint', start);
      window.removeEventListener('afterprint', stop);
      media.removeEventListener('change', change);
    };
  }, []);
  return printing;
}
