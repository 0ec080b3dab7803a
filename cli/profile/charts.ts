/**
 * The profile's charts as inline SVG (no script, no network): a histogram of a numeric or timestamp column from its
 * reservoir of values, or the top values of any column as horizontal bars. Every bar is a `rect.bar`, and every chart
 * says in `data-bars` how many it drew, so a browser test can check that each one rendered.
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const WIDTH = 360;
const HEIGHT = 120;
const BINS = 20;

/** Bars of `values` (a sample of the column's) in BINS equal bins over the column's [min, max] (one bin when equal). */
export function histogramSvg(values: readonly number[], bounds: { min: number; max: number }, label: (x: number) => string): string {
  if (values.length === 0) return '';
  const { min, max } = bounds;
  const bins = max === min ? 1 : BINS;
  const counts = new Array<number>(bins).fill(0);
  for (const x of values) counts[max === min ? 0 : Math.min(bins - 1, Math.floor(((x - min) / (max - min)) * bins))] += 1;
  const top = Math.max(...counts);
  const barWidth = WIDTH / bins;
  const plot = HEIGHT - 16;
  // A bin with values is at least 1 px tall, so every drawn bar is visible.
  const bars = counts.map((count, b) => {
    const h = count === 0 ? 0 : Math.max(1, (count / top) * plot);
    return `<rect class="bar" x="${(b * barWidth + 1).toFixed(1)}" y="${(plot - h).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${h.toFixed(1)}">`
      + `<title>${escapeHtml(`${label(min + (b * (max - min)) / bins)}: ${count}`)}</title></rect>`;
  }).filter((_, b) => counts[b] > 0);
  return `<svg class="chart" data-chart="histogram" data-bars="${bars.length}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img">`
    + `${bars.join('')}<text x="0" y="${HEIGHT - 2}">${escapeHtml(label(min))}</text>`
    + `<text x="${WIDTH}" y="${HEIGHT - 2}" text-anchor="end">${escapeHtml(label(max))}</text></svg>`;
}

/** The most frequent values as horizontal bars, with their share of the non-null cells. */
export function topValuesSvg(top: ReadonlyArray<{ value: string; count: number }>, nonNull: number): string {
  if (top.length === 0) return '';
  const rowHeight = 16;
  const height = top.length * rowHeight;
  const labelWidth = 140;
  const most = top[0].count;
  const bars = top.map(({ value, count }, i) => {
    const w = Math.max(1, (count / most) * (WIDTH - labelWidth - 50));
    const shown = value.length > 22 ? `${value.slice(0, 21)}…` : value;
    const y = i * rowHeight;
    return `<text x="${labelWidth - 4}" y="${y + 12}" text-anchor="end">${escapeHtml(shown)}</text>`
      + `<rect class="bar" x="${labelWidth}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowHeight - 4}"><title>${escapeHtml(`${value}: ${count}`)}</title></rect>`
      + `<text x="${(labelWidth + w + 4).toFixed(1)}" y="${y + 12}">${((count / nonNull) * 100).toFixed(1)}%</text>`;
  });
  return `<svg class="chart" data-chart="top-values" data-bars="${top.length}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img">`
    + `${bars.join('')}</svg>`;
}
