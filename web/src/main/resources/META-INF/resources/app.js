// Canopy map page: loads the snapshot, keeps it current from the event stream, and ties the
// map, the graph view, search, the node panel and the URL together.
//
// URL (hash) format, all parts optional:
//   #/map/<zoom>/<lat>/<lon>                 map position, nothing selected
//   #/node/<key>?map=<zoom>/<lat>/<lon>      node panel open (key or overlay address)
//   ...&view=graph  (or ?view=graph)         graph view instead of the map
// Opening a node, closing it and switching views add history entries; moving the map only
// replaces the current one, so back/forward step through what was looked at.

import {
  h,
  label,
  relativeTime,
  replaceChildren,
  shortKey,
  sparkline,
  swatch,
  timeEl,
} from './dom.js';
import { GraphView } from './graph.js';
import { isLocated, linkId, MapView } from './mapview.js';
import * as style from './style.js';

const API = 'api/v1/';
// Timings are milliseconds since navigation started (performance.now()'s origin).
const now = () => Math.round(performance.now());

const model = {
  nodes: new Map(),
  links: new Map(),
  islands: new Map(),
  adjacency: null, // key → Set of link ids; built when a node first moves
  version: null,
  eventId: null, // the last event the loaded snapshot reflects
};

const $ = (id) => document.getElementById(id);
const ui = {
  map: $('map'),
  graph: $('graph'),
  status: $('status'),
  error: $('error'),
  search: $('search-input'),
  results: $('search-results'),
  panel: $('panel'),
  panelTitle: $('panel-title'),
  panelBody: $('panel-body'),
  panelClose: $('panel-close'),
  panelCollapse: $('panel-collapse'),
  info: $('info'),
  infoToggle: $('info-toggle'),
  infoClose: $('info-close'),
  stats: $('stats'),
  legend: $('legend'),
  listNew: $('list-new'),
  listLost: $('list-lost'),
  newCount: $('new-count'),
  lostCount: $('lost-count'),
  viewMap: $('view-map'),
  viewGraph: $('view-graph'),
};

let mapView = null;
let graphView = null;
let loading = true;
let pending = [];
let lastEventId = null;

// ---------------------------------------------------------------- network

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function fetchJson(path, init = {}) {
  const response = await fetch(API + path, {
    headers: { Accept: 'application/json' },
    ...init,
  });
  if (!response.ok) {
    let message = response.status + ' ' + response.statusText;
    try {
      const body = await response.json();
      if (body && body.error) message = String(body.error);
    } catch (ignored) {
      // the status line says enough
    }
    throw new HttpError(response.status, message);
  }
  return response.json();
}

function showError(message) {
  if (!message) {
    ui.error.hidden = true;
    return;
  }
  replaceChildren(ui.error, message);
  ui.error.hidden = false;
}

// ---------------------------------------------------------------- model

function linksOf(key) {
  if (!model.adjacency) {
    model.adjacency = new Map();
    for (const [id, link] of model.links) addAdjacency(id, link);
  }
  return model.adjacency.get(key) || [];
}

function addAdjacency(id, link) {
  if (!model.adjacency) return;
  for (const k of [link.a, link.b]) {
    let set = model.adjacency.get(k);
    if (!set) model.adjacency.set(k, (set = new Set()));
    set.add(id);
  }
}

function dropAdjacency(id, link) {
  if (!model.adjacency) return;
  for (const k of [link.a, link.b]) {
    const set = model.adjacency.get(k);
    if (set) {
      set.delete(id);
      if (set.size === 0) model.adjacency.delete(k);
    }
  }
}

function clean(data, drop) {
  const out = {};
  for (const [k, v] of Object.entries(data)) if (!drop.includes(k)) out[k] = v;
  return out;
}

/** Merges into the existing object, so the map and graph keep their references. */
function putNode(data) {
  const existing = model.nodes.get(data.key);
  if (existing) return { node: Object.assign(existing, data), added: false };
  const node = { ...data };
  model.nodes.set(node.key, node);
  return { node, added: true };
}

function putLink(data) {
  const id = linkId(data.a, data.b);
  const existing = model.links.get(id);
  if (existing) return { link: Object.assign(existing, data), added: false };
  const link = { ...data };
  model.links.set(id, link);
  addAdjacency(id, link);
  return { link, added: true };
}

function putIsland(data) {
  const existing = model.islands.get(data.id);
  if (existing) return Object.assign(existing, data);
  const island = { ...data };
  model.islands.set(island.id, island);
  return island;
}

function clearModel() {
  model.nodes.clear();
  model.links.clear();
  model.islands.clear();
  model.adjacency = null;
}

/** Adopts the features' property objects as model objects (no copies: 40,000 features). */
function loadGeoJson(geo) {
  for (const f of geo.features || []) {
    const p = f.properties;
    const g = f.geometry;
    if (!p || !g) continue;
    if (p.feature === 'node' && g.type === 'Point' && typeof p.key === 'string') {
      p.lon = g.coordinates[0];
      p.lat = g.coordinates[1];
      if (model.nodes.has(p.key)) putNode(p);
      else model.nodes.set(p.key, p);
    } else if (p.feature === 'link' && typeof p.a === 'string' && typeof p.b === 'string') {
      const id = linkId(p.a, p.b);
      if (model.links.has(id)) {
        putLink(p);
      } else {
        model.links.set(id, p);
        addAdjacency(id, p);
      }
    } else if (p.feature === 'island' && p.id != null) {
      p.outline = g.type === 'Polygon' && Array.isArray(g.coordinates) ? g.coordinates[0] : null;
      putIsland(p);
    }
  }
}

function loadGraph(graph) {
  for (const n of graph.nodes || []) putNode(n);
  for (const l of graph.links || []) putLink(l);
  // The graph's islands have no outline: merge names and sizes, keep what the map gave.
  for (const i of graph.islands || []) putIsland(i);
}

// ---------------------------------------------------------------- snapshot

let reloadRunning = null;
let reloadAgain = false;

async function loadSnapshot() {
  loading = true;
  showError(null);
  const mapRequest = fetchJson('map', { cache: 'no-cache' });
  const graphRequest = fetchJson('graph', { cache: 'no-cache' });
  // Don't leave one of them rejected and unobserved if the other fails first.
  graphRequest.catch(() => {});
  const geo = await mapRequest;
  window.canopy.timings.mapJson = now();
  clearModel();
  loadGeoJson(geo);
  window.canopy.timings.mapModel = now();
  model.version = geo.version ?? null;
  model.eventId = geo.eventId ?? null;
  mapView.setVersion(model.version);
  mapView.rebuild(model);
  ui.map.dataset.ready = 'true';
  window.canopy.timings.mapBuilt = now();
  window.canopy.timings.build = mapView.buildMs;
  requestAnimationFrame(() => {
    // The canvas renderer draws in this frame; the one after it shows the result.
    requestAnimationFrame(() => {
      if (window.canopy.timings.mapPainted == null) window.canopy.timings.mapPainted = now();
    });
  });
  // Let the browser paint the map before parsing and merging the (large) full node list.
  await new Promise((resolve) =>
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))),
  );
  let graph = null;
  try {
    graph = await graphRequest;
  } catch (err) {
    showError('Could not load the full node list: ' + err.message);
  }
  if (graph) {
    loadGraph(graph);
    if (graph.version !== geo.version) {
      // The two snapshots were taken at different moments: draw what the newer one says.
      for (const node of model.nodes.values()) mapView.syncNode(node);
      for (const link of model.links.values()) mapView.syncLink(link, model.nodes);
    }
  }
  graphView.setModel(model);
  loading = false;
  // Events that arrived while loading: re-applying a change the snapshot already has is
  // harmless, and the stream was open before the snapshot was taken, so nothing is missed.
  const backlog = pending;
  pending = [];
  for (const [type, data] of backlog) applyEvent(type, data);
  window.canopy.timings.loaded = now();
  ui.map.dataset.graphReady = graph ? 'true' : 'false';
  refreshSearch();
  scheduleStats(0);
  if (panelState.key) refreshPanelSoon();
}

/** Loads the snapshot; asked again while loading, it loads once more afterwards. */
function reloadSnapshot() {
  if (reloadRunning) {
    // The snapshot in flight may predate what made the server say reset.
    reloadAgain = true;
    return reloadRunning;
  }
  reloadRunning = loadSnapshot()
    .catch((err) => {
      loading = false;
      showError('Could not load the map: ' + err.message + '. Trying again…');
      setTimeout(reloadSnapshot, 5000);
    })
    .finally(() => {
      reloadRunning = null;
      if (reloadAgain) {
        reloadAgain = false;
        reloadSnapshot();
      }
    });
  return reloadRunning;
}

// ---------------------------------------------------------------- live events

const events = { source: null, retry: 1000, reloadOnOpen: false };

function setStatus(state) {
  ui.status.dataset.state = state;
  ui.status.textContent = state;
}

/**
 * A page kept in the back/forward cache must not hold its stream: browsers allow six HTTP/1.1
 * connections per server, and every cached or open page of the map would keep one. The stream
 * closes when the page is hidden that way and reopens, with a fresh snapshot, when it comes
 * back.
 */
window.addEventListener('pagehide', (e) => {
  if (e.persisted && events.source) {
    events.source.close();
    events.source = null;
  }
});
window.addEventListener('pageshow', (e) => {
  if (e.persisted && !events.source && mapView) {
    setStatus('reconnecting');
    events.reloadOnOpen = true;
    connectEvents();
  }
});

/** Resolves once the stream is open (or after a while anyway: the page must not hang on it). */
function connectEvents() {
  return new Promise((resolve) => {
    // A first connection resumes after the loaded snapshot; the browser's own reconnections send
    // Last-Event-ID, which the server prefers.
    const after = model.eventId != null ? '?after=' + encodeURIComponent(model.eventId) : '';
    const source = new EventSource(API + 'events' + after);
    events.source = source;
    const timer = setTimeout(resolve, 3000);
    source.addEventListener('open', () => {
      clearTimeout(timer);
      setStatus('live');
      events.retry = 1000;
      if (events.reloadOnOpen) {
        // What the stream missed comes from a snapshot (see the error handler).
        events.reloadOnOpen = false;
        reloadSnapshot();
      }
      resolve();
    });
    source.addEventListener('error', () => {
      setStatus('reconnecting');
      // The browser reconnects with Last-Event-ID, and the server replays what was missed (or
      // says reset). With no event received yet there is no id to send: nothing would tell
      // the page what changed meanwhile, so it reloads once the stream is back.
      if (!lastEventId) events.reloadOnOpen = true;
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (server error, wrong type): start over with backoff.
        clearTimeout(timer);
        resolve();
        events.reloadOnOpen = true;
        setTimeout(() => {
          if (events.source === source) connectEvents();
        }, events.retry);
        events.retry = Math.min(events.retry * 2, 30000);
      }
      // Otherwise the browser reconnects by itself, sending Last-Event-ID.
    });
    for (const type of ['node', 'link', 'island', 'reset']) {
      source.addEventListener(type, (e) => onEvent(type, e));
    }
  });
}

function onEvent(type, e) {
  let data;
  try {
    data = e.data ? JSON.parse(e.data) : {};
  } catch (ignored) {
    return; // not ours to interpret
  }
  if (e.lastEventId) {
    lastEventId = e.lastEventId;
    ui.map.dataset.event = lastEventId;
  }
  if (type === 'reset') {
    pending = [];
    reloadSnapshot();
    return;
  }
  if (loading) {
    pending.push([type, data]);
    return;
  }
  applyEvent(type, data);
}

function applyEvent(type, data) {
  if (!data || typeof data !== 'object') return;
  let touches = [];
  if (type === 'node' && typeof data.key === 'string') {
    touches = [data.key];
    applyNode(data);
  } else if (type === 'link' && typeof data.a === 'string' && typeof data.b === 'string') {
    touches = [data.a, data.b];
    applyLink(data);
  } else if (type === 'island' && data.id != null) {
    applyIsland(data);
    if (panelState.key) {
      const node = model.nodes.get(panelState.key);
      if (node && node.island === data.id) touches = [panelState.key];
    }
  } else {
    return;
  }
  if (panelState.key && touches.includes(panelState.key)) refreshPanelSoon();
  scheduleStats();
}

function applyNode(data) {
  const key = data.key;
  if (data.change === 'removed') {
    model.nodes.delete(key);
    mapView.removeNode(key);
    for (const id of linksOf(key)) {
      const link = model.links.get(id);
      if (link) mapView.syncLink(link, model.nodes);
    }
    graphView.setModel(model);
    return;
  }
  const before = model.nodes.get(key);
  const wasAt = before ? [before.lat, before.lon] : null;
  const { node, added } = putNode(clean(data, ['change']));
  mapView.syncNode(node);
  const moved = !wasAt || wasAt[0] !== node.lat || wasAt[1] !== node.lon;
  if (moved) {
    for (const id of linksOf(key)) {
      const link = model.links.get(id);
      if (link) mapView.syncLink(link, model.nodes);
    }
  }
  if (added) graphView.setModel(model);
  else graphView.restyle();
}

function applyLink(data) {
  if (data.change === 'removed') {
    const id = linkId(data.a, data.b);
    const link = model.links.get(id);
    if (link) {
      model.links.delete(id);
      dropAdjacency(id, link);
    }
    mapView.removeLink(data.a, data.b);
    graphView.setModel(model);
    return;
  }
  const { link, added } = putLink(clean(data, ['change']));
  mapView.syncLink(link, model.nodes);
  if (added) graphView.setModel(model);
  else graphView.restyle();
}

function applyIsland(data) {
  if (data.change === 'removed') {
    model.islands.delete(data.id);
    mapView.removeIsland(data.id);
    return;
  }
  mapView.syncIsland(putIsland(clean(data, ['change'])));
}

// ---------------------------------------------------------------- statistics and lists

let statsTimer = 0;

/** Coalesces bursts of events into one refetch. */
function scheduleStats(delay = 1500) {
  if (statsTimer) {
    if (delay > 0) return;
    clearTimeout(statsTimer);
  }
  statsTimer = setTimeout(() => {
    statsTimer = 0;
    refreshStats();
  }, delay);
}

async function refreshStats() {
  const [stats, fresh, lost] = await Promise.allSettled([
    fetchJson('stats'),
    fetchJson('nodes?list=new&limit=50'),
    fetchJson('nodes?list=lost&limit=50'),
  ]);
  if (stats.status === 'fulfilled') renderStats(stats.value);
  if (fresh.status === 'fulfilled') renderNodeList(ui.listNew, ui.newCount, fresh.value, 'firstSeen');
  if (lost.status === 'fulfilled') renderNodeList(ui.listLost, ui.lostCount, lost.value, 'lastSeen');
}

function num(v) {
  return Number.isFinite(Number(v)) ? Number(v).toLocaleString('en') : '—';
}

function renderStats(stats) {
  const n = stats.nodes || {};
  const l = stats.links || {};
  const row = (term, value, detail) =>
    h('div', { class: 'stat' }, h('dt', null, term), h('dd', null, h('strong', null, value), detail ? ' ' + detail : ''));
  replaceChildren(
    ui.stats,
    row('Nodes', num(n.total), `${num(n.online)} online · ${num(n.offline)} offline · ${num(n.lost)} lost · ${num(n.new)} new`),
    row('On the map', num(mapView.markers.size), `of ${num(model.nodes.size)} known`),
    row('Islands', num(stats.islands)),
    row('Links', num(l.total), `${num(l.live)} live · ${num(l.stale)} stale · ${num(l.down)} down`),
    row('Kinds', num(l.local) + ' local', `· ${num(l.overlay)} overlay`),
  );
  ui.stats.dataset.generatedAt = stats.generatedAt || '';
}

function renderNodeList(list, counter, nodes, timeField) {
  const items = Array.isArray(nodes) ? nodes : [];
  counter.textContent = '(' + items.length + ')';
  if (items.length === 0) {
    replaceChildren(list, h('li', { class: 'muted' }, 'none'));
    return;
  }
  replaceChildren(
    list,
    items.map((node) =>
      h(
        'li',
        null,
        h(
          'button',
          { type: 'button', class: 'link-button', onclick: () => openNode(node.key, { pan: true, focus: true }) },
          swatch({ fill: style.nodeColor(node.state) }),
          h('span', { class: 'name' }, label(node)),
          h('span', { class: 'muted small' }, ' ' + relativeTime(node[timeField])),
        ),
      ),
    ),
  );
}

function renderLegend() {
  const item = (sw, text) => h('li', null, sw, h('span', null, text));
  const local = style.KIND_WEIGHT.local;
  const overlay = style.KIND_WEIGHT.overlay;
  replaceChildren(
    ui.legend,
    h(
      'ul',
      { class: 'legend-list', 'aria-label': 'Nodes' },
      item(swatch({ fill: style.NODE_COLORS.online, stroke: '#fff' }), 'online'),
      item(swatch({ fill: style.NODE_COLORS.offline, stroke: '#fff' }), 'offline'),
      item(swatch({ fill: style.NODE_COLORS.lost, stroke: '#fff' }), 'lost'),
      item(swatch({ fill: style.NODE_COLORS.online, stroke: style.NEW_RING_COLOR, strokeWidth: 2.5 }), 'new (first seen today)'),
    ),
    h(
      'ul',
      { class: 'legend-list', 'aria-label': 'Links' },
      item(qualityRamp(), 'live, by quality: good → poor'),
      item(swatch({ line: true, stroke: style.LINK_UNKNOWN_QUALITY, strokeWidth: local }), 'live, quality unknown'),
      item(swatch({ line: true, stroke: style.LINK_STALE, strokeWidth: local, dash: style.STALE_DASH }), 'stale (no recent report)'),
      item(swatch({ line: true, stroke: style.LINK_DOWN, strokeWidth: local, dash: style.DOWN_DASH }), 'down'),
      item(swatch({ line: true, stroke: '#555', strokeWidth: local }), 'local (radio/LAN): thick'),
      item(swatch({ line: true, stroke: '#555', strokeWidth: overlay }), 'overlay (Internet): thin, faint'),
    ),
    h(
      'ul',
      { class: 'legend-list', 'aria-label': 'Islands' },
      item(islandSwatch(), 'island (connected by local links), labelled by name'),
    ),
  );
}

function qualityRamp() {
  const el = swatch({ line: true, stroke: style.qualityColor(1), strokeWidth: 3 });
  el.replaceChildren();
  [1, 0.75, 0.5, 0.25, 0].forEach((q, i) => {
    const seg = document.createElementNS('http://www.w3.org/2000/svg', 'line');
    seg.setAttribute('x1', String(1 + i * 4));
    seg.setAttribute('x2', String(5 + i * 4));
    seg.setAttribute('y1', '6');
    seg.setAttribute('y2', '6');
    seg.setAttribute('stroke', style.qualityColor(q));
    seg.setAttribute('stroke-width', '3');
    el.append(seg);
  });
  return el;
}

function islandSwatch() {
  const el = swatch({ fill: 'none' });
  el.replaceChildren();
  const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  for (const [k, v] of Object.entries({ x: 1, y: 1, width: 20, height: 10, rx: 3, fill: 'hsla(200,70%,45%,0.2)', stroke: 'hsl(200,70%,45%)' })) {
    rect.setAttribute(k, String(v));
  }
  el.append(rect);
  return el;
}

// ---------------------------------------------------------------- node panel

const panelState = { key: null, seq: 0, timer: 0, detail: null };

function refreshPanelSoon() {
  clearTimeout(panelState.timer);
  panelState.timer = setTimeout(() => {
    if (panelState.key) loadPanel(panelState.key, false);
  }, 400);
}

function showPanel(key, { focus = false } = {}) {
  const same = panelState.key === key && !ui.panel.hidden;
  panelState.key = key;
  ui.panel.hidden = false;
  document.body.classList.add('panel-open');
  if (phone.matches && ui.info.classList.contains('open')) setInfo(false);
  fitMapToBox();
  mapView.select(key);
  graphView.select(key);
  if (!same) {
    panelState.detail = null;
    const summary = model.nodes.get(key);
    ui.panelTitle.textContent = summary ? label(summary) : shortKey(key);
    replaceChildren(ui.panelBody, h('p', { class: 'muted' }, 'Loading…'));
    setCollapsed(false);
    loadPanel(key, focus);
  } else if (focus) {
    ui.panelTitle.focus();
  }
}

async function loadPanel(key, focus) {
  const seq = ++panelState.seq;
  if (focus) ui.panelTitle.focus();
  try {
    const detail = await fetchJson('nodes/' + encodeURIComponent(key));
    if (seq !== panelState.seq || panelState.key !== key) return;
    panelState.detail = detail;
    if (detail.key && detail.key !== key) {
      // Opened by address: from now on the key names it (URL, selection).
      panelState.key = detail.key;
      mapView.select(detail.key);
      graphView.select(detail.key);
      route.node = detail.key;
      writeRoute(true);
    }
    renderPanel(detail);
  } catch (err) {
    if (seq !== panelState.seq || panelState.key !== key) return;
    const summary = model.nodes.get(key);
    ui.panelTitle.textContent = summary ? label(summary) : shortKey(key);
    replaceChildren(
      ui.panelBody,
      h(
        'p',
        { class: 'error-text' },
        err.status === 404 ? 'This node is unknown or hidden.' : 'Could not load the node: ' + err.message,
      ),
      h('p', { class: 'mono small' }, key),
    );
  }
}

function hidePanel() {
  panelState.key = null;
  panelState.seq++;
  ui.panel.hidden = true;
  document.body.classList.remove('panel-open');
  fitMapToBox();
  mapView.select(null);
  graphView.select(null);
}

function setCollapsed(collapsed) {
  ui.panel.classList.toggle('collapsed', collapsed);
  ui.panelCollapse.setAttribute('aria-expanded', String(!collapsed));
  ui.panelCollapse.setAttribute('aria-label', collapsed ? 'Expand node details' : 'Collapse node details');
  ui.panelCollapse.textContent = collapsed ? '▴' : '▾';
}

function field(term, ...value) {
  return h('div', { class: 'field' }, h('dt', null, term), h('dd', null, ...value));
}

function stateBadge(state) {
  return h('span', { class: 'badge', dataset: { state: String(state || 'unknown') } }, String(state || 'unknown'));
}

function fmtQuality(q) {
  return q == null ? '—' : Number(q).toFixed(2);
}

function fmtLatency(ms) {
  return ms == null ? '—' : Number(ms).toFixed(1) + ' ms';
}

function renderPanel(d) {
  ui.panelTitle.textContent = d.name ? String(d.name) : shortKey(d.key);
  const history = new Map();
  for (const entry of Array.isArray(d.history) ? d.history : []) {
    if (entry && entry.peer) history.set(entry.peer, Array.isArray(entry.points) ? entry.points : []);
  }
  const peers = (Array.isArray(d.peers) ? d.peers : []).slice().sort((p, q) => {
    const rank = { live: 0, stale: 1, down: 2 };
    return (rank[p.state] ?? 3) - (rank[q.state] ?? 3) || (q.quality ?? -1) - (p.quality ?? -1);
  });
  const island = d.island && d.island.id != null ? d.island : null;
  const located = d.location && d.location.lat != null && d.location.lon != null;
  const body = [
    h('p', { class: 'badges' }, stateBadge(d.state), d.new ? h('span', { class: 'badge new' }, 'new') : null),
    h(
      'dl',
      { class: 'fields' },
      field('Address', h('code', { class: 'mono select-all' }, String(d.address ?? '—'))),
      field('.meship', h('code', { class: 'mono select-all' }, String(d.meship ?? '—'))),
      field('Key', h('code', { class: 'mono select-all key' }, String(d.key ?? '—'))),
      Array.isArray(d.names) && d.names.length
        ? field('Names', h('ul', { class: 'plain' }, d.names.map((n) => h('li', null, h('code', null, String(n))))))
        : null,
      field(
        'Island',
        island
          ? h(
              'button',
              {
                type: 'button',
                class: 'link-button',
                title: 'Show the island on the map',
                onclick: () => {
                  setView('map');
                  mapView.showIsland(island.id);
                },
              },
              String(island.name ?? island.id),
            )
          : h('span', { class: 'muted' }, 'none'),
      ),
      field(
        'Location',
        located
          ? `${Number(d.location.lat).toFixed(5)}, ${Number(d.location.lon).toFixed(5)}`
          : h('span', { class: 'muted' }, 'not published (graph view only)'),
      ),
      field('Last seen', timeEl(d.lastSeen)),
      field('First seen', timeEl(d.firstSeen)),
      d.version ? field('Version', String(d.version)) : null,
      Array.isArray(d.sources) && d.sources.length
        ? field('Sources', h('ul', { class: 'plain' }, d.sources.map((s) => h('li', null, String(s)))))
        : null,
    ),
  ];
  const services = Array.isArray(d.services) ? d.services : [];
  body.push(h('h3', null, 'Services ', h('span', { class: 'count' }, `(${services.length})`)));
  body.push(
    services.length
      ? h(
          'table',
          { class: 'services' },
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Value'))),
          h(
            'tbody',
            null,
            services.map((s) =>
              h('tr', null, h('td', null, String(s.name ?? '')), h('td', null, String(s.type ?? '')), h('td', { class: 'mono' }, String(s.value ?? ''))),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'none published'),
  );
  body.push(h('h3', null, 'Peers ', h('span', { class: 'count' }, `(${peers.length})`)));
  body.push(
    peers.length
      ? h(
          'ul',
          { class: 'peers' },
          peers.map((p) => {
            const points = history.get(p.key);
            return h(
              'li',
              { class: 'peer' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'link-button peer-name',
                  onclick: () => openNode(p.key, { pan: true, focus: true }),
                },
                swatch({ line: true, stroke: style.linkStyle(p).color, strokeWidth: 3, dash: style.linkStyle(p).dashArray }),
                h('span', { class: 'name' }, p.name ? String(p.name) : shortKey(p.key)),
              ),
              h(
                'span',
                { class: 'peer-meta small' },
                `${p.kind ?? '?'} · ${p.state ?? '?'} · q ${fmtQuality(p.quality)} · ${fmtLatency(p.latencyMs)}`,
              ),
              points && points.length ? sparkline(points) : null,
            );
          }),
        )
      : h('p', { class: 'muted' }, 'none known'),
  );
  if (history.size) {
    body.push(h('p', { class: 'muted small' }, 'Sparklines: last 24 h, latency solid, quality dashed.'));
  }
  replaceChildren(ui.panelBody, body);
}

// ---------------------------------------------------------------- search

const search = { results: [], active: -1, timer: 0 };

function findNodes(query, limit = 20) {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const hex = /^[0-9a-f]+$/.test(q);
  const scored = [];
  for (const node of model.nodes.values()) {
    const name = node.name ? String(node.name).toLowerCase() : '';
    const address = node.address ? String(node.address).toLowerCase() : '';
    let score = 0;
    if (name) {
      if (name === q) score = 100;
      else if (name.startsWith(q)) score = 80;
      else if (name.includes(q)) score = 50;
    }
    if (address === q) score = Math.max(score, 95);
    else if (address.startsWith(q)) score = Math.max(score, 70);
    if (hex && q.length >= 2 && node.key.startsWith(q)) score = Math.max(score, q.length >= 8 ? 90 : 60);
    if (score > 0) scored.push([score, name || node.key, node]);
  }
  scored.sort((p, r) => r[0] - p[0] || (p[1] < r[1] ? -1 : p[1] > r[1] ? 1 : 0));
  return scored.slice(0, limit).map((s) => s[2]);
}

function renderResults() {
  const { results, active } = search;
  const open = results.length > 0 || ui.search.value.trim() !== '';
  ui.results.hidden = !open;
  ui.search.setAttribute('aria-expanded', String(open));
  if (!open) {
    ui.search.removeAttribute('aria-activedescendant');
    replaceChildren(ui.results);
    return;
  }
  if (results.length === 0) {
    replaceChildren(ui.results, h('li', { class: 'muted empty', role: 'presentation' }, 'No node matches'));
    ui.search.removeAttribute('aria-activedescendant');
    return;
  }
  replaceChildren(
    ui.results,
    results.map((node, i) =>
      h(
        'li',
        {
          id: 'search-result-' + i,
          role: 'option',
          'aria-selected': String(i === active),
          class: i === active ? 'active' : null,
          dataset: { key: node.key },
          onmousedown: (e) => e.preventDefault(), // keep focus in the box
          onclick: () => chooseResult(i),
        },
        swatch({ fill: style.nodeColor(node.state) }),
        h('span', { class: 'name' }, label(node)),
        h('span', { class: 'muted small mono' }, ' ' + (node.address || shortKey(node.key))),
        isLocated(node) ? null : h('span', { class: 'muted small' }, ' · not on map'),
      ),
    ),
  );
  if (active >= 0) {
    ui.search.setAttribute('aria-activedescendant', 'search-result-' + active);
    const el = document.getElementById('search-result-' + active);
    if (el) el.scrollIntoView({ block: 'nearest' });
  } else {
    ui.search.removeAttribute('aria-activedescendant');
  }
}

function refreshSearch() {
  if (!ui.search.value.trim()) return;
  search.results = findNodes(ui.search.value);
  search.active = Math.min(search.active, search.results.length - 1);
  renderResults();
}

function closeResults() {
  search.results = [];
  search.active = -1;
  ui.results.hidden = true;
  ui.search.setAttribute('aria-expanded', 'false');
  ui.search.removeAttribute('aria-activedescendant');
}

function chooseResult(i) {
  const node = search.results[i];
  if (!node) return;
  closeResults();
  openNode(node.key, { pan: true, focus: true });
}

function installSearch() {
  ui.search.addEventListener('input', () => {
    clearTimeout(search.timer);
    search.timer = setTimeout(() => {
      search.results = findNodes(ui.search.value);
      search.active = -1;
      renderResults();
    }, 60);
  });
  ui.search.addEventListener('keydown', (e) => {
    const count = search.results.length;
    if (e.key === 'ArrowDown') {
      if (ui.results.hidden) {
        search.results = findNodes(ui.search.value);
        search.active = -1;
      }
      if (search.results.length) search.active = (search.active + 1) % search.results.length;
      renderResults();
      e.preventDefault();
    } else if (e.key === 'ArrowUp') {
      if (count) search.active = (search.active - 1 + count) % count;
      renderResults();
      e.preventDefault();
    } else if (e.key === 'Enter') {
      clearTimeout(search.timer);
      if (!count) search.results = findNodes(ui.search.value);
      if (search.results.length) chooseResult(Math.max(0, search.active));
      e.preventDefault();
    } else if (e.key === 'Escape') {
      if (!ui.results.hidden) {
        closeResults();
        e.stopPropagation();
      } else if (ui.search.value) {
        ui.search.value = '';
        e.stopPropagation();
      }
      e.preventDefault();
    }
  });
  // Closed a moment after focus leaves (a click on a result lands first), unless it came back.
  ui.search.addEventListener('blur', () =>
    setTimeout(() => {
      if (document.activeElement !== ui.search) closeResults();
    }, 150),
  );
}

// ---------------------------------------------------------------- routing

const route = { node: null, view: 'map', map: null };

function parseHash(hash) {
  let raw = hash.replace(/^#\/?/, '');
  try {
    raw = decodeURIComponent(raw);
  } catch (ignored) {
    // a malformed escape: take the hash as it is
  }
  const [path, query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean);
  const params = new URLSearchParams(query);
  const out = { node: null, view: params.get('view') === 'graph' ? 'graph' : 'map', map: null };
  const mapParam = (text) => {
    const [z, lat, lon] = String(text).split('/').map(Number);
    return [z, lat, lon].every(Number.isFinite) ? { z, lat, lon } : null;
  };
  if (parts[0] === 'node' && parts[1]) out.node = parts[1].toLowerCase();
  if (parts[0] === 'map' && parts.length >= 4) out.map = mapParam(parts.slice(1, 4).join('/'));
  if (parts[0] === 'graph') out.view = 'graph';
  if (params.has('map')) out.map = mapParam(params.get('map'));
  return out;
}

function formatHash(r) {
  const pos = r.map ? `${r.map.z}/${r.map.lat.toFixed(5)}/${r.map.lon.toFixed(5)}` : null;
  const query = [];
  let path;
  if (r.node) {
    path = '/node/' + r.node;
    if (pos) query.push('map=' + pos);
  } else {
    path = pos ? '/map/' + pos : '/';
  }
  if (r.view === 'graph') query.push('view=graph');
  return '#' + path + (query.length ? '?' + query.join('&') : '');
}

function writeRoute(replace) {
  const hash = formatHash(route);
  if (location.hash === hash) return;
  if (replace) history.replaceState(null, '', hash);
  else history.pushState(null, '', hash);
}

function sameView(a, b) {
  return (
    a && b && a.z === b.z && Math.abs(a.lat - b.lat) < 1e-4 && Math.abs(a.lon - b.lon) < 1e-4
  );
}

/** Makes the page show what the URL says (start, back/forward, a pasted link). */
function applyRoute(next, { initial = false } = {}) {
  if (next.map && !sameView(next.map, mapView.getView())) mapView.setView(next.map);
  setView(next.view, { write: false });
  const nodeChanged = next.node !== route.node || initial;
  route.node = next.node;
  route.view = next.view;
  route.map = mapView.getView();
  if (nodeChanged) {
    if (next.node) {
      showPanel(next.node);
      // A link without a position centres on the node.
      if (!next.map) mapView.panToNode(next.node, bottomInset());
    } else {
      hidePanel();
    }
  }
  writeRoute(true);
}

function openNode(key, { pan = false, focus = false } = {}) {
  route.node = key;
  writeRoute(false);
  showPanel(key, { focus });
  if (pan) {
    if (route.view === 'map') mapView.panToNode(key, bottomInset());
    else graphView.select(key);
  }
}

function closeNode() {
  if (!route.node) return;
  const key = route.node;
  route.node = null;
  writeRoute(false);
  hidePanel();
  // Focus back where a keyboard user would continue.
  const origin = route.view === 'graph' ? $('graph-canvas') : ui.search;
  origin.focus({ preventScroll: true });
  return key;
}

function setView(view, { write = true } = {}) {
  const graph = view === 'graph';
  ui.map.hidden = graph;
  ui.graph.hidden = !graph;
  ui.viewMap.setAttribute('aria-pressed', String(!graph));
  ui.viewGraph.setAttribute('aria-pressed', String(graph));
  document.body.dataset.view = graph ? 'graph' : 'map';
  if (graph) {
    graphView.show();
    graphView.select(route.node);
  } else {
    graphView.hide();
    fitMapToBox();
  }
  if (write && route.view !== view) {
    route.view = view;
    writeRoute(false);
  }
  route.view = view;
}

// ---------------------------------------------------------------- layout and keys

const phone = window.matchMedia('(max-width: 640px)');

/**
 * Tells Leaflet its box changed (a panel opened or closed, rotation), keeping the same place in
 * the middle. Called at once where the page changes the layout, so that a pan that follows
 * centres on the new box; a hidden map has no size and is left alone.
 */
function fitMapToBox() {
  if (mapView && !ui.map.hidden && ui.map.clientWidth > 0) {
    mapView.map.invalidateSize({ animate: false });
  }
}

/** Shows or hides the statistics; on a phone the two sheets take turns. */
function setInfo(open) {
  ui.info.classList.toggle('open', open);
  ui.info.classList.toggle('closed', !open);
  ui.infoToggle.setAttribute('aria-expanded', String(open));
  fitMapToBox();
  if (open && phone.matches && !ui.panel.hidden) setCollapsed(true);
}

/** How much of the map's bottom a sheet covers (phone width), to pan nodes into the rest. */
function bottomInset() {
  return phone.matches ? Math.round(ui.map.clientHeight * 0.5) : 0;
}

function installChrome() {
  for (const skip of document.querySelectorAll('.skip-link')) {
    skip.addEventListener('click', () => {
      const target = $(skip.dataset.target === 'map' && ui.map.hidden ? 'graph-canvas' : skip.dataset.target);
      if (target) target.focus();
    });
  }
  ui.panelClose.addEventListener('click', () => closeNode());
  ui.panelCollapse.addEventListener('click', () => {
    const collapse = !ui.panel.classList.contains('collapsed');
    setCollapsed(collapse);
    if (!collapse && phone.matches) setInfo(false);
  });
  setInfo(!phone.matches);
  phone.addEventListener('change', (e) => setInfo(!e.matches));
  ui.infoToggle.addEventListener('click', () => setInfo(!ui.info.classList.contains('open')));
  ui.infoClose.addEventListener('click', () => {
    setInfo(false);
    ui.infoToggle.focus();
  });
  ui.viewMap.addEventListener('click', () => setView('map'));
  ui.viewGraph.addEventListener('click', () => setView('graph'));
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    // The sheet on top goes first: on a phone the statistics cover the node's sheet.
    if (phone.matches && ui.info.classList.contains('open')) {
      setInfo(false);
      ui.infoToggle.focus();
      e.preventDefault();
    } else if (!ui.panel.hidden) {
      closeNode();
      e.preventDefault();
    }
  });
  // The map must know when its box changes (panels opening, rotation, sheets).
  let resizeFrame = 0;
  new ResizeObserver(() => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(() => {
      // A hidden map has no size; resizing it to nothing would move its centre.
      fitMapToBox();
    });
  }).observe(ui.map);
  window.addEventListener('popstate', () => applyRoute(parseHash(location.hash)));
  window.addEventListener('hashchange', () => applyRoute(parseHash(location.hash)));
}

// ---------------------------------------------------------------- start

window.canopy = {
  timings: {},
  get map() {
    return mapView && mapView.map;
  },
  ready: () => ui.map.dataset.ready === 'true',
  /** True when the map is not in the middle of a zoom or pan animation. */
  mapSettled: () => {
    const map = mapView && mapView.map;
    return !!map && !map._animatingZoom && !(map._panAnim && map._panAnim._inProgress);
  },
  drawnNodeCount: () => (mapView ? mapView.markers.size : 0),
  drawnLinkCount: () => (mapView ? mapView.drawnLinkCount() : 0),
  linkStyle: (a, b) => (mapView ? mapView.linkStyle(a, b) : null),
  nodeStyle: (key) => (mapView ? mapView.nodeStyle(key) : null),
  islandNames: () => (mapView ? mapView.islandNames() : []),
  nodePoint: (key) => (mapView ? mapView.nodePoint(key) : null),
  graphNodeCount: () => (graphView ? graphView.n : 0),
  graphNodePoint: (key) => (graphView ? graphView.screenPoint(key) : null),
  openNode: (key) => openNode(key, { pan: true }),
  lastEventId: () => lastEventId,
};

async function start() {
  installSearch();
  renderLegend();
  let settings;
  try {
    settings = await fetchJson('settings');
  } catch (err) {
    showError('Could not load the settings: ' + err.message + '. Drawing without a base map.');
    settings = { tileUrl: '' };
  }
  mapView = new MapView(ui.map, settings, {
    onNodeClick: (key) => openNode(key, { focus: false }),
  });
  graphView = new GraphView(ui.graph, {
    onSelect: (key) => openNode(key, { focus: false }),
  });
  installChrome();
  const initial = parseHash(location.hash);
  if (initial.map) mapView.setView(initial.map);
  mapView.map.on('moveend', () => {
    if (ui.map.hidden) return;
    route.map = mapView.getView();
    writeRoute(true);
  });
  // The snapshot says which event it reflects (eventId); the stream then starts right after it,
  // so no change falls between the two even when the snapshot was rendered a moment late.
  await reloadSnapshot();
  await connectEvents();
  applyRoute(initial, { initial: true });
  window.canopy.timings.ready = now();
}

start();
