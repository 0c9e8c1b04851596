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
  for (const k of Object.keys(style)) {
    if ((options[k] ?? null) !== (style[k] ?? null)) return false;
  }
  return true;
}

// Island labels would cover a zoomed-out map of a large network; below this zoom they are
// shown only when there are few islands.
const LABEL_MIN_ZOOM = 12;
const LABELS_ALWAYS_BELOW = 60;

export class MapView {
  constructor(el, settings, { onNodeClick }) {
    this.el = el;
    this.renderer = L.canvas({ padding: 0.5, tolerance: 4 });
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
    this.linkLayer = L.layerGroup().addTo(this.map);
    this.nodeLayer = L.featureGroup().addTo(this.map);
    this.markers = new Map(); // key → circleMarker
    this.lines = new Map(); // linkId → polyline
    this.islands = new Map(); // island id → {shape, tooltip, text}
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
    this.map.on('zoomend', () => this.updateLabelVisibility());
    this.countsQueued = false;
  }

  hasView() {
    return this.map._loaded === true;
  }

  /** Drop everything and draw the model again (first load and `reset`). */
  rebuild(model) {
    this.islandLayer.clearLayers();
    this.labelLayer.clearLayers();
    this.linkLayer.clearLayers();
    this.nodeLayer.clearLayers();
    this.markers.clear();
    this.lines.clear();
    this.islands.clear();
    if (this.halo) {
      this.halo.remove();
      this.halo = null;
    }
    if (!this.hasView()) this.fitTo(model.nodes.values());
    this.bulk = true;
    try {
      for (const island of model.islands.values()) this.syncIsland(island);
      for (const link of model.links.values()) this.syncLink(link, model.nodes);
      for (const node of model.nodes.values()) this.syncNode(node);
    } finally {
      this.bulk = false;
    }
    this.select(this.selectedKey);
    this.updateLabelVisibility();
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
      if (!sameStyle(marker.options, style)) marker.setStyle(style);
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
    let line = this.lines.get(id);
    if (!isLocated(a) || !isLocated(b)) {
      if (line) this.removeLink(link.a, link.b);
      return;
    }
    const latlngs = [
      [Number(a.lat), Number(a.lon)],
      [Number(b.lat), Number(b.lon)],
    ];
    const style = linkStyle(link);
    if (!line) {
      line = L.polyline(latlngs, { ...style, renderer: this.renderer, interactive: false });
      line.canopyLink = link;
      this.linkLayer.addLayer(line);
      this.lines.set(id, line);
      if (!this.bulk) {
        // Added after the nodes: move it under them, and the islands under it.
        line.bringToBack();
        for (const island of this.islands.values()) island.shape.bringToBack();
      }
      this.queueCounts();
    } else {
      line.canopyLink = link;
      const [p, q] = line.getLatLngs();
      if (
        p.lat !== latlngs[0][0] ||
        p.lng !== latlngs[0][1] ||
        q.lat !== latlngs[1][0] ||
        q.lng !== latlngs[1][1]
      ) {
        line.setLatLngs(latlngs);
      }
      if (!sameStyle(line.options, style)) line.setStyle(style);
    }
  }

  removeLink(a, b) {
    const id = linkId(a, b);
    const line = this.lines.get(id);
    if (line) {
      this.linkLayer.removeLayer(line);
      this.lines.delete(id);
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
      this.labelLayer.addLayer(tooltip);
      if (!this.bulk) shape.bringToBack();
      drawn = { kind, shape, tooltip, text, island };
      this.islands.set(island.id, drawn);
      this.queueCounts();
      if (!this.bulk) this.updateLabelVisibility();
    } else {
      drawn.island = island;
      if (kind === 'polygon') drawn.shape.setLatLngs(ring);
      else drawn.shape.setLatLng(centre);
      if (drawn.text.textContent !== name) {
        drawn.text.textContent = name;
        drawn.tooltip.update();
      }
      const at = drawn.tooltip.getLatLng();
      if (!at || at.lat !== centre[0] || at.lng !== centre[1]) drawn.tooltip.setLatLng(centre);
    }
  }

  removeIsland(id) {
    const drawn = this.islands.get(id);
    if (drawn) {
      this.islandLayer.removeLayer(drawn.shape);
      this.labelLayer.removeLayer(drawn.tooltip);
      this.islands.delete(id);
      this.queueCounts();
    }
  }

  updateLabelVisibility() {
    const hide =
      this.islands.size > LABELS_ALWAYS_BELOW && this.hasView() && this.map.getZoom() < LABEL_MIN_ZOOM;
    this.el.classList.toggle('island-labels-hidden', hide);
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

  /** Pans (and zooms in if far out) to a node; false when it is not on the map. */
  panToNode(key) {
    const marker = this.markers.get(key);
    if (!marker) return false;
    const zoom = Math.max(this.map.getZoom(), 15);
    this.map.setView(marker.getLatLng(), Math.min(zoom, this.map.getMaxZoom()));
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

  linkStyle(a, b) {
    const line = this.lines.get(linkId(a, b));
    if (!line) return null;
    const o = line.options;
    return { color: o.color, dashArray: o.dashArray ?? null, weight: o.weight };
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
      this.el.dataset.links = String(this.lines.size);
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
