// The graph view: every node, located or not, drawn on one canvas at the positions a force
// layout gives them. The layout runs in layout-worker.js (spring-electrical with a Barnes–Hut
// approximation, stopped after MAX_TICKS), so the page stays responsive while 10,000 nodes
// settle; this module seeds positions, draws, and handles pan, zoom and clicks.

import { label } from './dom.js';
import { linkStyle, nodeColor, NEW_RING_COLOR, SELECTED_COLOR } from './style.js';

const L = 30; // ideal link length, layout units (the worker's K)
const MAX_TICKS = 300;

export class GraphView {
  constructor(container, { onSelect }) {
    this.container = container;
    this.canvas = container.querySelector('canvas');
    this.ctx = this.canvas.getContext('2d');
    this.tip = container.querySelector('.graph-tip');
    this.onSelect = onSelect;
    this.visible = false;
    this.model = null;
    this.n = 0;
    this.keys = [];
    this.nodes = [];
    this.index = new Map();
    this.x = new Float64Array(0);
    this.y = new Float64Array(0);
    this.edges = new Int32Array(0);
    this.edgeLinks = [];
    this.positions = new Map(); // key → [x, y], kept across rebuilds
    this.scale = 1;
    this.tx = 0;
    this.ty = 0;
    this.ticks = 0;
    this.running = false;
    this.structureDirty = true;
    this.stylesDirty = true;
    this.userMoved = false;
    this.selectedKey = null;
    this.frame = 0;
    this.width = 0;
    this.height = 0;
    this.gen = 0;
    this.updates = 0;
    this.worker = new Worker(new URL('layout-worker.js', import.meta.url));
    this.worker.onmessage = (e) => this.onPositions(e.data);
    this.installInput();
    new ResizeObserver(() => this.resize()).observe(container);
  }

  /** The model changed shape (nodes or links added or removed). */
  setModel(model) {
    this.model = model;
    this.structureDirty = true;
    this.request();
  }

  /** Only colours changed. */
  restyle() {
    this.stylesDirty = true;
    this.request();
  }

  show() {
    this.visible = true;
    this.resize();
    this.request();
  }

  hide() {
    this.visible = false;
    this.tip.hidden = true;
  }

  select(key) {
    this.selectedKey = key || null;
    if (!this.visible) return;
    if (this.structureDirty) this.rebuild();
    const i = key ? this.index.get(key) : undefined;
    // While the view still fits itself to the layout, everything is in sight anyway.
    if (i !== undefined && this.userMoved) {
      const sx = this.x[i] * this.scale + this.tx;
      const sy = this.y[i] * this.scale + this.ty;
      if (sx < 20 || sy < 20 || sx > this.width - 20 || sy > this.height - 20) {
        this.tx += this.width / 2 - sx;
        this.ty += this.height / 2 - sy;
      }
    }
    this.request();
  }

  /** CSS pixel of a node inside the canvas, for tests that click it. */
  screenPoint(key) {
    if (this.structureDirty) this.rebuild();
    const i = this.index.get(key);
    if (i === undefined) return null;
    return { x: this.x[i] * this.scale + this.tx, y: this.y[i] * this.scale + this.ty };
  }

  request() {
    if (this.frame || !this.visible) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.step();
    });
  }

  step() {
    if (!this.visible) return;
    if (this.structureDirty) this.rebuild();
    if (this.needsFit && !this.userMoved) {
      this.needsFit = false;
      this.fit();
    }
    const drawStart = performance.now();
    this.draw();
    this.container.dataset.drawMs = (performance.now() - drawStart).toFixed(1);
  }

  onPositions(m) {
    if (m.gen !== this.gen || m.x.length !== this.n) return;
    for (let i = 0; i < this.n; i++) {
      this.x[i] = m.x[i];
      this.y[i] = m.y[i];
    }
    this.ticks = m.ticks;
    this.running = m.running;
    this.updates++;
    // Follow the layout as it grows until the user takes over the view.
    if (!this.userMoved && (this.updates % 5 === 1 || !m.running)) this.needsFit = true;
    this.container.dataset.ticks = String(m.ticks);
    this.container.dataset.tickMs = m.tickMs.toFixed(1);
    this.container.dataset.layout = m.running ? 'running' : 'done';
    this.request();
  }

  rebuild() {
    this.structureDirty = false;
    this.stylesDirty = true;
    const model = this.model;
    if (!model) return;
    // Remember where every node is so that a rebuild after a live change moves nothing.
    for (let i = 0; i < this.n; i++) this.positions.set(this.keys[i], [this.x[i], this.y[i]]);
    const keys = [...model.nodes.keys()];
    const n = keys.length;
    const index = new Map();
    keys.forEach((k, i) => index.set(k, i));
    const edgeList = [];
    const edgeLinks = [];
    for (const link of model.links.values()) {
      const a = index.get(link.a);
      const b = index.get(link.b);
      if (a === undefined || b === undefined || a === b) continue;
      edgeList.push(a, b);
      edgeLinks.push(link);
    }
    this.keys = keys;
    this.nodes = keys.map((k) => model.nodes.get(k));
    this.index = index;
    this.n = n;
    this.edges = Int32Array.from(edgeList);
    this.edgeLinks = edgeLinks;
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    const placed = this.seedPositions();
    // A new layout runs the full schedule; a few new nodes only warm it up a little, so that
    // a live change does not shake the whole picture.
    const fresh = n - placed;
    if (fresh > 0 || this.ticks === 0 || this.running) {
      let ticks = Math.round(MAX_TICKS * 0.8);
      if (fresh > n / 10 || placed === 0) ticks = 0;
      else if (this.running) ticks = Math.min(this.ticks, ticks);
      this.gen++;
      this.running = n > 0;
      this.container.dataset.layout = this.running ? 'running' : 'done';
      this.worker.postMessage({
        type: 'start',
        gen: this.gen,
        x: Float64Array.from(this.x),
        y: Float64Array.from(this.y),
        edges: Int32Array.from(this.edges),
        ticks,
        maxTicks: MAX_TICKS,
      });
    } else {
      this.gen++; // positions from an older shape no longer fit
    }
    for (const key of this.positions.keys()) if (!index.has(key)) this.positions.delete(key);
    this.needsFit = true;
    this.container.dataset.nodes = String(n);
    this.container.dataset.links = String(edgeLinks.length);
  }

  /** Known positions first, then geography, then next to a placed neighbour; returns known. */
  seedPositions() {
    const { n, x, y, nodes, keys } = this;
    const done = new Uint8Array(n);
    let known = 0;
    for (let i = 0; i < n; i++) {
      const p = this.positions.get(keys[i]);
      if (p) {
        x[i] = p[0];
        y[i] = p[1];
        done[i] = 1;
        known++;
      }
    }
    if (known === 0) {
      // Geography is a good first guess for located nodes: islands start together.
      const located = [];
      let lat0 = 0;
      for (let i = 0; i < n; i++) {
        const node = nodes[i];
        if (node.lat != null && node.lon != null) {
          located.push(i);
          lat0 += Number(node.lat);
        }
      }
      if (located.length > 0) {
        lat0 /= located.length;
        const k = Math.cos((lat0 * Math.PI) / 180);
        const gx = (i) => Number(nodes[i].lon) * k;
        const gy = (i) => -Number(nodes[i].lat);
        const lengths = [];
        for (let e = 0; e < this.edges.length; e += 2) {
          const a = this.edges[e];
          const b = this.edges[e + 1];
          if (this.edgeLinks[e / 2].kind !== 'local') continue;
          if (nodes[a].lat == null || nodes[b].lat == null) continue;
          const d = Math.hypot(gx(a) - gx(b), gy(a) - gy(b));
          if (d > 0) lengths.push(d);
          if (lengths.length > 2000) break;
        }
        lengths.sort((p, q) => p - q);
        let minX = Infinity;
        let maxX = -Infinity;
        let minY = Infinity;
        let maxY = -Infinity;
        for (const i of located) {
          minX = Math.min(minX, gx(i));
          maxX = Math.max(maxX, gx(i));
          minY = Math.min(minY, gy(i));
          maxY = Math.max(maxY, gy(i));
        }
        const extent = Math.max(maxX - minX, maxY - minY) || 1;
        const target = Math.sqrt(n) * L * 1.5;
        let scale = lengths.length ? L / lengths[lengths.length >> 1] : target / extent;
        // Keep the seed within a sane size whatever the geography.
        scale = Math.min(Math.max(scale, (target * 0.3) / extent), (target * 3) / extent);
        const cx = (minX + maxX) / 2;
        const cy = (minY + maxY) / 2;
        for (const i of located) {
          x[i] = (gx(i) - cx) * scale + jitter();
          y[i] = (gy(i) - cy) * scale + jitter();
          done[i] = 1;
        }
      }
    }
    // Breadth-first from everything placed: an unplaced node starts next to a neighbour.
    const adjacency = this.adjacency();
    const queue = [];
    for (let i = 0; i < n; i++) if (done[i]) queue.push(i);
    const radius = Math.sqrt(n) * L;
    let head = 0;
    const spread = () => {
      while (head < queue.length) {
        const i = queue[head++];
        for (let p = adjacency.start[i]; p < adjacency.start[i + 1]; p++) {
          const j = adjacency.list[p];
          if (done[j]) continue;
          const angle = Math.random() * 2 * Math.PI;
          x[j] = x[i] + Math.cos(angle) * L;
          y[j] = y[i] + Math.sin(angle) * L;
          done[j] = 1;
          queue.push(j);
        }
      }
    };
    spread();
    // A component with nothing placed yet starts somewhere on the disk.
    for (let i = 0; i < n; i++) {
      if (done[i]) continue;
      const angle = Math.random() * 2 * Math.PI;
      const r = radius * Math.sqrt(Math.random());
      x[i] = Math.cos(angle) * r;
      y[i] = Math.sin(angle) * r;
      done[i] = 1;
      queue.push(i);
      spread();
    }
    return known;
  }

  adjacency() {
    const { n, edges } = this;
    const start = new Int32Array(n + 1);
    for (let e = 0; e < edges.length; e++) start[edges[e] + 1]++;
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const fill = start.slice(0, n);
    const list = new Int32Array(edges.length);
    for (let e = 0; e < edges.length; e += 2) {
      list[fill[edges[e]]++] = edges[e + 1];
      list[fill[edges[e + 1]]++] = edges[e];
    }
    return { start, list };
  }

  /**
   * Fits the middle 98 % of the nodes: a few isolated nodes pushed far out by repulsion would
   * otherwise shrink everything else to a dot.
   */
  fit() {
    const { n, x, y } = this;
    if (n === 0 || this.width === 0) return;
    const xs = Float64Array.from(x).sort();
    const ys = Float64Array.from(y).sort();
    const cut = n >= 50 ? Math.floor(n * 0.01) : 0;
    const minX = xs[cut];
    const maxX = xs[n - 1 - cut];
    const minY = ys[cut];
    const maxY = ys[n - 1 - cut];
    const w = Math.max(maxX - minX, L);
    const hh = Math.max(maxY - minY, L);
    this.scale = Math.min((this.width - 40) / w, (this.height - 40) / hh, 4);
    this.tx = this.width / 2 - ((minX + maxX) / 2) * this.scale;
    this.ty = this.height / 2 - ((minY + maxY) / 2) * this.scale;
  }

  resize() {
    const rect = this.canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(rect.width);
    const hh = Math.round(rect.height);
    if (w === this.width && hh === this.height) return;
    // Keep what was in the middle in the middle.
    if (this.width > 0) {
      this.tx += (w - this.width) / 2;
      this.ty += (hh - this.height) / 2;
    }
    this.width = w;
    this.height = hh;
    this.canvas.width = Math.max(1, Math.round(w * dpr));
    this.canvas.height = Math.max(1, Math.round(hh * dpr));
    this.dpr = dpr;
    this.request();
  }

  buildBuckets() {
    this.stylesDirty = false;
    const buckets = new Map();
    this.edgeLinks.forEach((link, e) => {
      const st = linkStyle(link);
      const key = st; // shared style objects
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = { style: st, edges: [] };
        buckets.set(key, bucket);
      }
      bucket.edges.push(e);
    });
    // Solid, heavy lines last so they stay on top.
    this.buckets = [...buckets.values()].sort(
      (p, q) => (p.style.dashArray ? 0 : 1) - (q.style.dashArray ? 0 : 1) || p.style.weight - q.style.weight,
    );
    const byColor = new Map();
    for (let i = 0; i < this.n; i++) {
      const color = nodeColor(this.nodes[i].state);
      let list = byColor.get(color);
      if (!list) byColor.set(color, (list = []));
      list.push(i);
    }
    this.nodeBuckets = [...byColor.entries()];
  }

  draw() {
    const { ctx, x, y, edges, scale, tx, ty, width, height } = this;
    if (this.stylesDirty) this.buildBuckets();
    ctx.setTransform(this.dpr || 1, 0, 0, this.dpr || 1, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const sx = (i) => x[i] * scale + tx;
    const sy = (i) => y[i] * scale + ty;
    const lineScale = Math.min(1, Math.max(0.35, scale));
    for (const bucket of this.buckets) {
      ctx.beginPath();
      for (const e of bucket.edges) {
        const a = edges[2 * e];
        const b = edges[2 * e + 1];
        const ax = sx(a);
        const ay = sy(a);
        const bx = sx(b);
        const by = sy(b);
        if ((ax < 0 && bx < 0) || (ay < 0 && by < 0)) continue;
        if ((ax > width && bx > width) || (ay > height && by > height)) continue;
        ctx.moveTo(ax, ay);
        ctx.lineTo(bx, by);
      }
      const st = bucket.style;
      ctx.strokeStyle = st.color;
      ctx.globalAlpha = st.opacity;
      ctx.lineWidth = st.weight * lineScale;
      ctx.setLineDash(st.dashArray ? st.dashArray.split(' ').map(Number) : []);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    const r = Math.min(7, Math.max(2, 4 * Math.sqrt(scale)));
    this.radius = r;
    const fresh = [];
    for (const [color, list] of this.nodeBuckets) {
      ctx.beginPath();
      for (const i of list) {
        const px = sx(i);
        const py = sy(i);
        if (px < -r || py < -r || px > width + r || py > height + r) continue;
        ctx.moveTo(px + r, py);
        ctx.arc(px, py, r, 0, 2 * Math.PI);
        if (this.nodes[i].new === true) fresh.push(i);
      }
      ctx.fillStyle = color;
      ctx.fill();
    }
    if (fresh.length && r >= 3) {
      ctx.beginPath();
      for (const i of fresh) {
        ctx.moveTo(sx(i) + r + 1.5, sy(i));
        ctx.arc(sx(i), sy(i), r + 1.5, 0, 2 * Math.PI);
      }
      ctx.strokeStyle = NEW_RING_COLOR;
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
    // Names once there is room for them (canvas text: never parsed as markup).
    if (scale >= 2.5) {
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      ctx.lineWidth = 3;
      ctx.strokeStyle = 'rgba(255,255,255,0.9)';
      ctx.fillStyle = '#222';
      let shown = 0;
      for (let i = 0; i < this.n && shown < 250; i++) {
        const px = sx(i);
        const py = sy(i);
        if (px < 0 || py < 0 || px > width || py > height) continue;
        const text = label(this.nodes[i]);
        ctx.strokeText(text, px + r + 3, py);
        ctx.fillText(text, px + r + 3, py);
        shown++;
      }
    }
    const sel = this.selectedKey ? this.index.get(this.selectedKey) : undefined;
    if (sel !== undefined) {
      ctx.beginPath();
      ctx.arc(sx(sel), sy(sel), r + 5, 0, 2 * Math.PI);
      ctx.strokeStyle = SELECTED_COLOR;
      ctx.lineWidth = 3;
      ctx.stroke();
    }
  }

  nearest(px, py) {
    const { n, x, y, scale, tx, ty } = this;
    const reach = (this.radius || 4) + 5;
    let best = -1;
    let bestD = reach * reach;
    for (let i = 0; i < n; i++) {
      const dx = x[i] * scale + tx - px;
      const dy = y[i] * scale + ty - py;
      const d = dx * dx + dy * dy;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  zoomAt(px, py, factor) {
    const s = Math.min(40, Math.max(0.01, this.scale * factor));
    const f = s / this.scale;
    this.tx = px - (px - this.tx) * f;
    this.ty = py - (py - this.ty) * f;
    this.scale = s;
    this.userMoved = true;
    this.request();
  }

  installInput() {
    const canvas = this.canvas;
    const pointers = new Map();
    let drag = null;
    let pinch = null;
    const local = (e) => {
      const rect = canvas.getBoundingClientRect();
      return [e.clientX - rect.left, e.clientY - rect.top];
    };
    canvas.addEventListener('pointerdown', (e) => {
      canvas.setPointerCapture(e.pointerId);
      pointers.set(e.pointerId, local(e));
      if (pointers.size === 1) {
        const [px, py] = local(e);
        drag = { px, py, tx: this.tx, ty: this.ty, moved: false };
      } else if (pointers.size === 2) {
        const [a, b] = [...pointers.values()];
        pinch = { d: Math.hypot(a[0] - b[0], a[1] - b[1]) || 1 };
        drag = null;
      }
    });
    canvas.addEventListener('pointermove', (e) => {
      if (pointers.has(e.pointerId)) pointers.set(e.pointerId, local(e));
      const [px, py] = local(e);
      if (pinch && pointers.size === 2) {
        const [a, b] = [...pointers.values()];
        const d = Math.hypot(a[0] - b[0], a[1] - b[1]) || 1;
        this.zoomAt((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, d / pinch.d);
        pinch.d = d;
        return;
      }
      if (drag) {
        if (Math.abs(px - drag.px) + Math.abs(py - drag.py) > 4) drag.moved = true;
        if (drag.moved) {
          this.tx = drag.tx + px - drag.px;
          this.ty = drag.ty + py - drag.py;
          this.userMoved = true;
          this.request();
        }
        return;
      }
      this.hover(px, py);
    });
    const end = (e) => {
      pointers.delete(e.pointerId);
      if (pointers.size < 2) pinch = null;
      if (drag && e.type === 'pointerup' && !drag.moved) {
        const [px, py] = local(e);
        const i = this.nearest(px, py);
        if (i >= 0) this.onSelect(this.keys[i]);
      }
      drag = null;
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
    canvas.addEventListener('pointerleave', () => {
      this.tip.hidden = true;
    });
    canvas.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const [px, py] = local(e);
        this.zoomAt(px, py, Math.exp(-e.deltaY * 0.0015));
      },
      { passive: false },
    );
    canvas.addEventListener('keydown', (e) => {
      const step = 60;
      const moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      if (moves[e.key]) {
        this.tx += moves[e.key][0];
        this.ty += moves[e.key][1];
        this.userMoved = true;
        this.request();
      } else if (e.key === '+' || e.key === '=') {
        this.zoomAt(this.width / 2, this.height / 2, 1.25);
      } else if (e.key === '-' || e.key === '_') {
        this.zoomAt(this.width / 2, this.height / 2, 0.8);
      } else if (e.key === '0') {
        this.userMoved = false;
        this.fit();
        this.request();
      } else {
        return;
      }
      e.preventDefault();
    });
  }

  hover(px, py) {
    const i = this.nearest(px, py);
    if (i < 0) {
      this.tip.hidden = true;
      this.canvas.style.cursor = '';
      return;
    }
    this.canvas.style.cursor = 'pointer';
    this.tip.textContent = label(this.nodes[i]) + ' · ' + (this.nodes[i].state || 'unknown');
    this.tip.style.left = Math.round(px + 12) + 'px';
    this.tip.style.top = Math.round(py + 12) + 'px';
    this.tip.hidden = false;
  }
}

function jitter() {
  return (Math.random() - 0.5) * 2;
}
