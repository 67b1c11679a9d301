// Accessible charts: inline SVG drawn from data, labelled for screen readers, with the same data as a
// table right behind it (the table is the source of truth for assistive technology and for copying).
import { dataRow, h, newId, table } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) if (value !== null && value !== undefined) el.setAttribute(key, String(value));
  for (const child of children.flat()) if (child !== null && child !== undefined) el.append(child);
  return el;
}

/**
 * A horizontal bar chart of `rows` ([{label, value}]) under a heading, with a data table.
 * `unit` labels the value column; every bar shows its value as text, so colour is never the only signal.
 */
export function barChart({ title, description, rows, unit, testId }) {
  const titleId = newId('chart-title');
  const descId = newId('chart-desc');
  const barHeight = 26;
  const gap = 8;
  const labelWidth = 190;
  const width = 640;
  const plot = width - labelWidth - 70;
  const max = Math.max(1, ...rows.map((r) => Number(r.value) || 0));
  const height = Math.max(1, rows.length) * (barHeight + gap) + gap;
  const chart = svg(
    'svg',
    { class: 'bar-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`, focusable: 'false' },
    svg('title', { id: titleId }, title),
    svg('desc', { id: descId }, description ?? rows.map((r) => `${r.label}: ${r.value} ${unit}`).join('; ')),
    rows.map((r, i) => {
      const y = gap + i * (barHeight + gap);
      const w = Math.max(2, Math.round((Number(r.value) / max) * plot));
      return svg(
        'g',
        {},
        svg(
          'text',
          { x: labelWidth - 8, y: y + barHeight / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'bar-chart__label' },
          r.label,
        ),
        svg('rect', { x: labelWidth, y, width: w, height: barHeight, rx: 2, class: 'bar-chart__bar' }),
        svg(
          'text',
          { x: labelWidth + w + 6, y: y + barHeight / 2, 'dominant-baseline': 'middle', class: 'bar-chart__value' },
          String(r.value),
        ),
      );
    }),
  );
  const columns = ['Category', unit];
  return h(
    'figure',
    { class: 'chart', dataset: { testid: testId ?? '' } },
    h('figcaption', { class: 'chart__title' }, title),
    rows.length ? chart : h('p', { class: 'muted' }, 'No data yet.'),
    h(
      'details',
      { class: 'chart__data' },
      h('summary', {}, `Data table: ${title}`),
      table({ caption: title, columns, rows: rows.map((r) => dataRow(columns, [r.label, String(r.value)])) }),
    ),
  );
}
