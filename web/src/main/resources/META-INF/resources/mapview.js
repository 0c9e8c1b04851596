// The geographic map: Leaflet with one canvas renderer for every node, link and island, and an
// index from key to drawn layer so that live events restyle or move a layer in place.
/* global L */

import { h, label } from './dom.js';
import { islandColor, linkStyle, nodeStyle, SELECTED_COLOR } from './style.js';

export function linkId(a, b) {
  return a < b ? a + ':' + b : b + ':' + a;
}

export function isLocated(node) {
  return (
    node != null &&
    node.lat != null &&
    node.lon != null &&
    Number.isFinite(Number(node.lat)) &&
    Number.isFinite(Number(node.lon))
  );
}

/** An island centre arrives as [lon, lat] (map, events) or {lat, lon} (islands API). */
function centreLatLng(centre) {
  if (Array.isArray(centre) && centre.length >= 2) return [Number(centre[1]), Number(centre[0])];
  if (centre && centre.lat != null && centre.lon != null) {
    return [Number(centre.lat), Number(centre.lon)];
  }
  return null;
}

function sameStyle(options, style) {
  if (options.canopyStyle === style) return true;
  for (const k of Object.keys(style)) {
    if ((options[k] ?? null) !== (style[k] ?? null)) return false;
  }
  return true;
}

// Island labels would cover a zoomed-out map of a large network; below this zoom they are
// shown only when there are few islands. Labels are DOM elements (Leaflet tooltips), so only
// those near the view are attached, at most MAX_LABELS.
const LABEL_MIN_ZOOM = 12;
const LABELS_ALWAYS_BELOW = 60;
const MAX_LABELS = 200;

/**
 * Every link in one Leaflet path on the shared canvas renderer: Leaflet keeps projecting it on
 * zoom and drawing it in its place between islands and nodes, and it draws its lines grouped by
 * style, setting each style once. 30,000 separate polylines would each be projected, clipped
 * and styled on every redraw.
 */
const LinkBatch = L.Path.extend({
  options: { interactive: false, fill: false },

  initialize(options) {
    L.setOptions(this, options);
    this.entries = new Map(); // linkId → {a, b: LatLng, style, bucket, pa, pb: Point}
    this.buckets = new Map(); // style → {style, entries: Set}
    this.order = [];
  },

  put(id, a, b, style) {
    let entry = this.entries.get(id);
    const key = style; // styles are shared objects, one per look
    if (!entry) {
      entry = { a, b, style, bucket: null, pa: null, pb: null };
      this.entries.set(id, entry);
    } else {
      entry.a = a;
      entry.b = b;
      entry.style = style;
    }
    if (entry.bucket !== key) {
      if (entry.bucket) this.buckets.get(entry.bucket).entries.delete(entry);
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = { style, entries: new Set() };
        this.buckets.set(key, bucket);
        this.sortBuckets();
      }
      bucket.entries.add(entry);
      entry.bucket = key;
    }
    if (this._map) {
      this.projectEntry(entry);
      this.changed();
    }
  },

  drop(id) {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.buckets.get(entry.bucket).entries.delete(entry);
    if (this._map) this.changed();
  },

  clear() {
    this.entries.clear();
    this.buckets.clear();
    this.order = [];
    if (this._map) this.changed();
  },

  // Dashed under solid, thin (overlay) under thick (local).
  sortBuckets() {
    this.order = [...this.buckets.values()].sort(
      (p, q) =>
        (p.style.dashArray ? 0 : 1) - (q.style.dashArray ? 0 : 1) || p.style.weight - q.style.weight,
    );
  },

  changed() {
    if (this._renderer && this._pxBounds) this._renderer._requestRedraw(this);
  },

  projectEntry(entry) {
    entry.pa = this._map.latLngToLayerPoint(entry.a);
    entry.pb = this._map.latLngToLayerPoint(entry.b);
    this.extendBounds(entry.pa);
    this.extendBounds(entry.pb);
  },

  extendBounds(p) {
    if (!this._pxBounds) this._pxBounds = L.bounds(p, p);
    else this._pxBounds.extend(p);
  },

  _project() {
    this._pxBounds = null;
    for (const entry of this.entries.values()) this.projectEntry(entry);
    if (!this._pxBounds) {
      const p = this._map.latLngToLayerPoint(this._map.getCenter());
      this._pxBounds = L.bounds(p, p);
    }
  },

  _update() {
    // Nothing to clip: the canvas clips, and lines off the canvas are skipped when drawing.
  },

  _updatePath() {
    const renderer = this._renderer;
    if (!renderer._drawing) return;
    const ctx = renderer._ctx;
    const view = renderer._bounds;
    const minX = view.min.x;
    const minY = view.min.y;
    const maxX = view.max.x;
    const maxY = view.max.y;
    for (const bucket of this.order) {
      if (bucket.entries.size === 0) continue;
      const st = bucket.style;
      ctx.globalAlpha = st.opacity;
      ctx.strokeStyle = st.color;
      ctx.lineWidth = st.weight;
      ctx.setLineDash(st.dashArray ? st.dashArray.split(/[ ,]+/).map(Number) : []);
      // One short path per line: rasterising one path of thousands of crossing segments costs
      // several times more than stroking them one by one (measured in Chromium).
      for (const e of bucket.entries) {
        const a = e.pa;
        const b = e.pb;
        if (!a) continue;
        if ((a.x < minX && b.x < minX) || (a.x > maxX && b.x > maxX)) continue;
        if ((a.y < minY && b.y < minY) || (a.y > maxY && b.y > maxY)) continue;
        ctx.beginPath();
        ctx.moveTo(a.x, a.y);
        ctx.lineTo(b.x, b.y);
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);
  },

  _containsPoint() {
    return false;
  },
});

/**
 * Leaflet's canvas renderer redraws everything after every pan. Its canvas is larger than the
 * view (padding), so while the view is still inside what was drawn, and the zoom is the same,
 * there is nothing to redraw: small pans cost nothing, even with 40,000 features.
 */
const LazyCanvas = L.Canvas.extend({
  _update() {
    const map = this._map;
    if (this._bounds && !map._animatingZoom && this._zoom === map.getZoom()) {
      const size = map.getSize();
      const min = map.containerPointToLayerPoint([0, 0]);
      const max = map.containerPointToLayerPoint(size);
      if (this._bounds.contains(min) && this._bounds.contains(max)) return;
    }
    L.Canvas.prototype._update.call(this);
  },
});

export class MapView {
  constructor(el, settings, { onNodeClick }) {
    this.el = el;
    this.renderer = new LazyCanvas({ padding: 0.5, tolerance: 4 });
    this.map = L.map(el, {
      preferCanvas: true,
      renderer: this.renderer,
      zoomControl: false,
      minZoom: 2,
      maxZoom: 19,
      worldCopyJump: true,
    });
    L.control.zoom({ position: 'bottomright' }).addTo(this.map);
    L.control.scale({ position: 'bottomleft', imperial: false }).addTo(this.map);
    const tileUrl = settings && typeof settings.tileUrl === 'string' ? settings.tileUrl.trim() : '';
    if (tileUrl) {
      // Leaflet writes attributions as HTML; the configured text is escaped so it shows as text.
      L.tileLayer(tileUrl, {
        maxZoom: 19,
        attribution: escapeHtml(settings.tileAttribution || ''),
      }).addTo(this.map);
      el.dataset.tiles = 'on';
    } else {
      el.dataset.tiles = 'off';
    }
    // Draw order on the shared canvas is insertion order: islands under links under nodes.
    this.islandLayer = L.layerGroup().addTo(this.map);
    this.labelLayer = L.layerGroup().addTo(this.map);
    this.links = new LinkBatch({ renderer: this.renderer });
    this.nodeLayer = L.featureGroup().addTo(this.map);
    this.markers = new Map(); // key → circleMarker
    this.islands = new Map(); // island id → {shape, tooltip, text, centre, labelShown}
    this.selectedKey = null;
    this.halo = null;
    this.version = null;

    this.hoverText = h('span');
    this.hoverTip = L.tooltip({ direction: 'top', offset: [0, -6], className: 'node-tip' });
    this.hoverTip.setContent(this.hoverText);
    this.nodeLayer.on('click', (e) => {
      if (e.layer && e.layer.canopyKey) onNodeClick(e.layer.canopyKey);
    });
    this.nodeLayer.on('mouseover', (e) => {
      const node = e.layer && e.layer.canopyNode;
      if (!node) return;
      this.hoverText.textContent = label(node) + ' · ' + (node.state || 'unknown');
      this.hoverTip.setLatLng(e.layer.getLatLng());
      this.map.openTooltip(this.hoverTip);
    });
    this.nodeLayer.on('mouseout', () => this.map.closeTooltip(this.hoverTip));
    this.map.on('moveend', () => this.updateLabels());
    this.countsQueued = false;
  }

  hasView() {
    return this.map._loaded === true;
  }

  /** Drop everything and draw the model again (first load and `reset`). */
  rebuild(model) {
    this.islandLayer.clearLayers();
    this.labelLayer.clearLayers();
    this.links.remove();
    this.links.clear();
    this.nodeLayer.clearLayers();
    this.markers.clear();
    this.islands.clear();
    if (this.halo) {
      this.halo.remove();
      this.halo = null;
    }
    if (!this.hasView()) this.fitTo(model.nodes.values());
    this.bulk = true;
    try {
      const t = performance.now();
      for (const island of model.islands.values()) this.syncIsland(island);
      const t1 = performance.now();
      // Collected before the batch joins the map, so it projects them once.
      for (const link of model.links.values()) this.syncLink(link, model.nodes);
      this.links.addTo(this.map);
      const t2 = performance.now();
      for (const node of model.nodes.values()) this.syncNode(node);
      const t3 = performance.now();
      this.buildMs = { islands: t1 - t, links: t2 - t1, nodes: t3 - t2 };
    } finally {
      this.bulk = false;
    }
    this.select(this.selectedKey);
    this.updateLabels();
    this.queueCounts();
  }

  fitTo(nodes) {
    const points = [];
    for (const n of nodes) if (isLocated(n)) points.push([Number(n.lat), Number(n.lon)]);
    if (points.length === 0) {
      this.map.setView([20, 0], 2);
    } else if (points.length === 1) {
      this.map.setView(points[0], 15);
    } else {
      this.map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 16 });
    }
  }

  syncNode(node) {
    const key = node.key;
    let marker = this.markers.get(key);
    if (!isLocated(node)) {
      if (marker) {
        this.nodeLayer.removeLayer(marker);
        this.markers.delete(key);
        if (key === this.selectedKey) this.select(key);
        this.queueCounts();
      }
      return;
    }
    const latlng = [Number(node.lat), Number(node.lon)];
    const style = nodeStyle(node);
    if (!marker) {
      marker = L.circleMarker(latlng, {
        ...style,
        canopyStyle: style,
        renderer: this.renderer,
        interactive: true,
        bubblingMouseEvents: false,
      });
      marker.canopyKey = key;
      marker.canopyNode = node;
      this.nodeLayer.addLayer(marker);
      this.markers.set(key, marker);
      this.queueCounts();
    } else {
      marker.canopyNode = node;
      const at = marker.getLatLng();
      if (at.lat !== latlng[0] || at.lng !== latlng[1]) marker.setLatLng(latlng);
      if (!sameStyle(marker.options, style)) marker.setStyle({ ...style, canopyStyle: style });
    }
    if (key === this.selectedKey && !this.bulk) this.select(key);
  }

  removeNode(key) {
    const marker = this.markers.get(key);
    if (marker) {
      this.nodeLayer.removeLayer(marker);
      this.markers.delete(key);
      if (key === this.selectedKey) this.select(key);
      this.queueCounts();
    }
  }

  syncLink(link, nodes) {
    const id = linkId(link.a, link.b);
    const a = nodes.get(link.a);
    const b = nodes.get(link.b);
    if (!isLocated(a) || !isLocated(b)) {
      this.removeLink(link.a, link.b);
      return;
    }
    const had = this.links.entries.has(id);
    this.links.put(
      id,
      L.latLng(Number(a.lat), Number(a.lon)),
      L.latLng(Number(b.lat), Number(b.lon)),
      linkStyle(link),
    );
    if (!had) this.queueCounts();
  }

  removeLink(a, b) {
    const id = linkId(a, b);
    if (this.links.entries.has(id)) {
      this.links.drop(id);
      this.queueCounts();
    }
  }

  syncIsland(island) {
    const ring = Array.isArray(island.outline)
      ? island.outline
          .filter((p) => Array.isArray(p) && p.length >= 2)
          .map((p) => [Number(p[1]), Number(p[0])])
      : [];
    if (ring.length === 0) {
      this.removeIsland(island.id);
      return;
    }
    const centre = centreLatLng(island.centre) || averageOf(ring);
    const distinct = new Set(ring.map((p) => p[0] + ',' + p[1])).size;
    const color = islandColor(island.id);
    const shapeStyle = {
      color,
      weight: 1.5,
      opacity: 0.7,
      fillColor: color,
      fillOpacity: 0.14,
      renderer: this.renderer,
      interactive: false,
    };
    const name = island.name == null || island.name === '' ? String(island.id) : String(island.name);
    let drawn = this.islands.get(island.id);
    // One or two located members make no area: a small circle marks the place instead.
    const kind = distinct >= 3 ? 'polygon' : 'circle';
    if (drawn && drawn.kind !== kind) {
      this.removeIsland(island.id);
      drawn = null;
    }
    if (!drawn) {
      const shape =
        kind === 'polygon'
          ? L.polygon(ring, shapeStyle)
          : L.circle(centre, { ...shapeStyle, radius: 60 });
      const text = h('span', { class: 'island-name' }, name);
      const tooltip = L.tooltip({
        permanent: true,
        direction: 'center',
        className: 'island-label',
        interactive: false,
      });
      tooltip.setContent(text);
      tooltip.setLatLng(centre);
      this.islandLayer.addLayer(shape);
      if (!this.bulk) shape.bringToBack();
      drawn = { kind, shape, tooltip, text, island, centre: L.latLng(centre), labelShown: false };
      this.islands.set(island.id, drawn);
      this.queueCounts();
      if (!this.bulk) this.queueLabels();
    } else {
      drawn.island = island;
      if (kind === 'polygon') drawn.shape.setLatLngs(ring);
      else drawn.shape.setLatLng(centre);
      if (drawn.text.textContent !== name) {
        drawn.text.textContent = name;
        drawn.tooltip.update();
      }
      const at = drawn.tooltip.getLatLng();
      if (!at || at.lat !== centre[0] || at.lng !== centre[1]) {
        drawn.tooltip.setLatLng(centre);
        drawn.centre = L.latLng(centre);
        this.queueLabels();
      }
    }
  }

  removeIsland(id) {
    const drawn = this.islands.get(id);
    if (drawn) {
      this.islandLayer.removeLayer(drawn.shape);
      if (drawn.labelShown) this.labelLayer.removeLayer(drawn.tooltip);
      this.islands.delete(id);
      this.queueCounts();
    }
  }

  queueLabels() {
    if (this.labelsQueued) return;
    this.labelsQueued = true;
    requestAnimationFrame(() => {
      this.labelsQueued = false;
      this.updateLabels();
    });
  }

  /** Attaches the labels of islands in and near the view, detaches the others. */
  updateLabels() {
    if (!this.hasView()) return;
    const show = this.islands.size <= LABELS_ALWAYS_BELOW || this.map.getZoom() >= LABEL_MIN_ZOOM;
    const bounds = this.map.getBounds().pad(0.25);
    let budget = MAX_LABELS;
    for (const drawn of this.islands.values()) {
      const want = show && budget > 0 && bounds.contains(drawn.centre);
      if (want) budget--;
      if (want && !drawn.labelShown) this.labelLayer.addLayer(drawn.tooltip);
      else if (!want && drawn.labelShown) this.labelLayer.removeLayer(drawn.tooltip);
      drawn.labelShown = want;
    }
  }

  /** Rings the selected node (or nothing when it is not on the map). */
  select(key) {
    this.selectedKey = key || null;
    const marker = key ? this.markers.get(key) : null;
    if (!marker) {
      if (this.halo) {
        this.halo.remove();
        this.halo = null;
      }
      return;
    }
    if (!this.halo) {
      this.halo = L.circleMarker(marker.getLatLng(), {
        renderer: this.renderer,
        radius: 11,
        color: SELECTED_COLOR,
        weight: 3,
        fill: false,
        interactive: false,
      }).addTo(this.map);
    } else {
      this.halo.setLatLng(marker.getLatLng());
      this.halo.bringToFront();
    }
  }

  /**
   * Pans (and zooms in if far out) to a node, centred in the part of the map that a bottom
   * sheet of height bottomInset leaves visible; false when it is not on the map.
   */
  panToNode(key, bottomInset = 0) {
    const marker = this.markers.get(key);
    if (!marker) return false;
    const zoom = Math.min(Math.max(this.map.getZoom(), 15), this.map.getMaxZoom());
    let target = marker.getLatLng();
    if (bottomInset > 0) {
      const p = this.map.project(target, zoom).add([0, bottomInset / 2]);
      target = this.map.unproject(p, zoom);
    }
    this.map.setView(target, zoom);
    return true;
  }

  showIsland(id) {
    const drawn = this.islands.get(id);
    if (!drawn) return false;
    if (drawn.kind === 'polygon') this.map.fitBounds(drawn.shape.getBounds(), { maxZoom: 17 });
    else this.map.setView(drawn.shape.getLatLng(), 16);
    return true;
  }

  getView() {
    if (!this.hasView()) return null;
    const c = this.map.getCenter();
    return { z: this.map.getZoom(), lat: c.lat, lon: c.lng };
  }

  setView(view) {
    this.map.setView([view.lat, view.lon], view.z, { animate: false });
  }

  /** Container pixel of a drawn node, for tests that click it. */
  nodePoint(key) {
    const marker = this.markers.get(key);
    if (!marker) return null;
    const p = this.map.latLngToContainerPoint(marker.getLatLng());
    return { x: p.x, y: p.y };
  }

  /** The style the link is drawn with now, or null when it is not on the map. */
  linkStyle(a, b) {
    const entry = this.links.entries.get(linkId(a, b));
    if (!entry) return null;
    const st = entry.style;
    return { color: st.color, dashArray: st.dashArray ?? null, weight: st.weight };
  }

  /** The style a node's marker is drawn with now, or null when it is not on the map. */
  nodeStyle(key) {
    const marker = this.markers.get(key);
    if (!marker) return null;
    const o = marker.options;
    return { fillColor: o.fillColor, color: o.color, radius: o.radius, weight: o.weight };
  }

  drawnLinkCount() {
    return this.links.entries.size;
  }

  islandNames() {
    return [...this.islands.values()].map((d) => d.text.textContent);
  }

  setVersion(version) {
    this.version = version;
    this.queueCounts();
  }

  // Attributes for tests and inspection; written once per task however many layers changed.
  queueCounts() {
    if (this.countsQueued) return;
    this.countsQueued = true;
    queueMicrotask(() => {
      this.countsQueued = false;
      this.el.dataset.nodes = String(this.markers.size);
      this.el.dataset.links = String(this.links.entries.size);
      this.el.dataset.islands = String(this.islands.size);
      if (this.version != null) this.el.dataset.version = String(this.version);
    });
  }
}

function averageOf(points) {
  let lat = 0;
  let lon = 0;
  for (const p of points) {
    lat += p[0];
    lon += p[1];
  }
  return [lat / points.length, lon / points.length];
}

function escapeHtml(text) {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}
