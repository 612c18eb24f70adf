import { Chart as ChartJS } from 'chart.js';
import { useEffect } from 'react';

/** Each at least 3:1 against white, so a bar or a line is seen without its legend's help. */
export const CHART_COLOURS = ['#1f4e79', '#b45f06', '#3f7a3e', '#b5504a', '#7a5c99', '#2a7a9b'];

/** Charts are drawn for the screen's width; printed, they are drawn again for the page's. */
export function useChartsForPrint(): void {
  useEffect(() => {
    const resize = () => Object.values(ChartJS.instances).forEach((chart) => chart.resize());
    const media = window.matchMedia('print');
    window.addEventListener('beforeprint', resize);
    window.addEventListener('afterprint', resize);
    media.addEventListener('change', resize);
    return () => {
      window.removeEventListener('beforeprint', resize);
      window.removeEventListener('afterprint', resize);
      media.removeEventListener('change', resize);
    };
  }, []);
}
