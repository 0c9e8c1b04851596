// DOM helpers. Every string that reaches the page from the network goes through text nodes or
// attribute values here: nothing in this page assigns innerHTML, so a node that calls itself
// `<img src=x onerror=alert(1)>` shows exactly that text.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function setAttributes(el, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (name === 'class') el.setAttribute('class', value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else el.setAttribute(name, value === true ? '' : String(value));
  }
}

/** h('li', {class: 'x'}, 'text', child) — strings become text nodes. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttributes(el, attrs);
  append(el, children);
  return el;
}

/** The same for SVG elements. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttributes(el, attrs);
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replaceChildren(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

export function shortKey(key) {
  return key ? String(key).slice(0, 12) + '…' : '';
}

/** What to call a node in lists: its name, or the start of its key. */
export function label(node) {
  return node && node.name ? String(node.name) : shortKey(node && node.key);
}

export function relativeTime(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '—';
  let seconds = Math.round((now - t) / 1000);
  // A server clock a little ahead of this one is not "in 5 seconds".
  if (seconds < 0 && seconds > -300) seconds = 0;
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  if (abs < 60) return rtf.format(-seconds, 'second');
  if (abs < 3600) return rtf.format(-Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(-Math.round(seconds / 3600), 'hour');
  return rtf.format(-Math.round(seconds / 86400), 'day');
}

/** <time> showing a relative time, with the exact UTC time as its tooltip. */
export function timeEl(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  return h('time', { datetime: iso, title: iso }, relativeTime(iso));
}

/** A small colour swatch (circle or line) for legends and lists. */
export function swatch({ fill, stroke, strokeWidth = 1, dash, line = false, width = 22 }) {
  const el = s('svg', {
    class: 'swatch',
    width,
    height: 12,
    viewBox: `0 0 ${width} 12`,
    'aria-hidden': 'true',
    focusable: 'false',
  });
  if (line) {
    el.append(
      s('line', {
        x1: 1,
        y1: 6,
        x2: width - 1,
        y2: 6,
        stroke,
        'stroke-width': strokeWidth,
        'stroke-dasharray': dash || null,
      }),
    );
  } else {
    el.append(
      s('circle', {
        cx: 6,
        cy: 6,
        r: 4.5,
        fill: fill || 'none',
        stroke: stroke || 'none',
        'stroke-width': strokeWidth,
      }),
    );
  }
  return el;
}

/** A single sample makes no line: it is drawn as a dot. */
function dotOrLine(cls, values, min, max, width, height) {
  const points = polylinePoints(values, min, max, width, height, 2);
  if (points.includes(' ')) return s('polyline', { class: cls, points });
  const [x, y] = points.split(',');
  return s('circle', { class: cls + ' spark-dot', cx: x ?? width / 2, cy: y ?? height / 2, r: 2 });
}

function polylinePoints(values, min, max, width, height, pad) {
  const span = max - min || 1;
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const out = [];
  values.forEach((v, i) => {
    if (v == null || !Number.isFinite(v)) return;
    const x = values.length > 1 ? pad + i * step : width / 2;
    const y = height - pad - ((v - min) / span) * (height - 2 * pad);
    out.push(x.toFixed(1) + ',' + y.toFixed(1));
  });
  return out.join(' ');
}

/**
 * Latency (solid) and quality (dashed) of one link over time, as an inline SVG built
 * element by element.
 */
export function sparkline(points, { width = 120, height = 30 } = {}) {
  const latency = points.map((p) => (p.latencyMs == null ? null : Number(p.latencyMs)));
  const quality = points.map((p) => (p.quality == null ? null : Number(p.quality)));
  const lat = latency.filter((v) => v != null && Number.isFinite(v));
  const qual = quality.filter((v) => v != null && Number.isFinite(v));
  const parts = [];
  if (lat.length) {
    const avg = lat.reduce((a, b) => a + b, 0) / lat.length;
    parts.push(
      `latency ${Math.min(...lat).toFixed(1)}–${Math.max(...lat).toFixed(1)} ms, average ${avg.toFixed(1)} ms`,
    );
  }
  if (qual.length) {
    parts.push(`quality ${Math.min(...qual).toFixed(2)}–${Math.max(...qual).toFixed(2)}`);
  }
  const summary = parts.length
    ? `Last ${points.length} samples: ${parts.join('; ')}`
    : 'No samples';
  const el = s('svg', {
    class: 'sparkline',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': summary,
  });
  el.append(s('title', null, summary));
  el.append(s('rect', { x: 0, y: 0, width, height, class: 'spark-bg' }));
  if (qual.length) el.append(dotOrLine('spark-quality', quality, 0, 1, width, height));
  if (lat.length) {
    const min = Math.min(...lat);
    const max = Math.max(...lat);
    el.append(dotOrLine('spark-latency', latency, min, max, width, height));
  }
  return el;
}
