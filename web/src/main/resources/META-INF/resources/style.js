// Colours and line styles shared by the map, the graph view and the legend, so that all three
// always agree.

export const NODE_COLORS = Object.freeze({
  online: '#1a9850',
  offline: '#f08c00',
  lost: '#8c8c8c',
});
export const UNKNOWN_NODE_COLOR = '#5c6bc0';
export const NEW_RING_COLOR = '#c2185b';
export const SELECTED_COLOR = '#1565c0';

export const LINK_UNKNOWN_QUALITY = '#2b83ba';
export const LINK_STALE = '#9e9e9e';
export const LINK_DOWN = '#d73027';
const GOOD = [26, 152, 80]; // #1a9850
const FAIR = [240, 200, 0]; // yellow
const BAD = [215, 48, 39]; // #d73027

// Dashes say the state (a dashed line is not working now); width and opacity say the kind
// (local radio/LAN links are what islands are made of, so they are drawn heavier).
export const STALE_DASH = '6 6';
export const DOWN_DASH = '2 6';
export const KIND_WEIGHT = Object.freeze({ local: 3, overlay: 1.5 });
export const KIND_OPACITY = Object.freeze({ local: 0.9, overlay: 0.55 });

export function nodeColor(state) {
  return NODE_COLORS[state] || UNKNOWN_NODE_COLOR;
}

// Styles are shared, frozen objects (one per distinct look): tens of thousands of features
// need only a handful, and equal looks can be compared by identity.
const nodeStyles = new Map();
const linkStyles = new Map();

/** Leaflet path options for a node's circle marker. */
export function nodeStyle(node) {
  const fresh = node.new === true;
  const key = node.state + '|' + fresh;
  let style = nodeStyles.get(key);
  if (!style) {
    style = Object.freeze({
      radius: fresh ? 6 : 5,
      fillColor: nodeColor(node.state),
      fillOpacity: 0.95,
      color: fresh ? NEW_RING_COLOR : '#ffffff',
      weight: fresh ? 3 : 1,
      opacity: 1,
    });
    nodeStyles.set(key, style);
  }
  return style;
}

function hex(rgb) {
  return '#' + rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('');
}

function mix(a, b, t) {
  return [0, 1, 2].map((i) => a[i] + (b[i] - a[i]) * t);
}

/** Link quality 0..1 as red → yellow → green. */
export function qualityColor(quality) {
  const q = Math.max(0, Math.min(1, Number(quality)));
  return q < 0.5 ? hex(mix(BAD, FAIR, q / 0.5)) : hex(mix(FAIR, GOOD, (q - 0.5) / 0.5));
}

/**
 * Leaflet path options for a link ({color, dashArray, weight, opacity}); dashArray is null for
 * a solid line. Quality is taken to two decimals.
 */
export function linkStyle(link) {
  const kind = link.kind === 'local' ? 'local' : 'overlay';
  const state = link.state === 'down' || link.state === 'stale' ? link.state : 'live';
  const q = link.quality == null ? NaN : Number(link.quality);
  const quality = Number.isFinite(q) ? Math.round(Math.max(0, Math.min(1, q)) * 100) : -1;
  const key = kind + '|' + state + '|' + (state === 'live' ? quality : '');
  let style = linkStyles.get(key);
  if (!style) {
    let color;
    let dashArray = null;
    if (state === 'down') {
      color = LINK_DOWN;
      dashArray = DOWN_DASH;
    } else if (state === 'stale') {
      color = LINK_STALE;
      dashArray = STALE_DASH;
    } else if (quality < 0) {
      color = LINK_UNKNOWN_QUALITY;
    } else {
      color = qualityColor(quality / 100);
    }
    style = Object.freeze({ color, dashArray, weight: KIND_WEIGHT[kind], opacity: KIND_OPACITY[kind] });
    linkStyles.set(key, style);
  }
  return style;
}

/** A stable colour per island: FNV-1a of its id picks the hue. */
export function islandColor(id) {
  let hash = 0x811c9dc5;
  const text = String(id);
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const hue = hash % 360;
  const light = 38 + ((hash >>> 9) % 3) * 6;
  return `hsl(${hue}, 70%, ${light}%)`;
}
