// Force layout for the graph view, in a worker so that the page stays responsive while
// thousands of nodes settle.
//
// Fruchterman–Reingold: springs along links pull with d²/k, every pair of nodes repels with
// k²/d, a weak pull towards the centre keeps separate components together, and a temperature
// that cools over maxTicks caps each step. The all-pairs repulsion is approximated with a
// Barnes–Hut quadtree (a cell far enough away acts as one mass at its centre), so a tick costs
// about n·log n, not n². The layout stops for good after maxTicks.
//
// Messages in:  {type: 'start', gen, x, y (Float64Array), edges (Int32Array pairs), ticks, maxTicks}
//               {type: 'stop'}
// Messages out: {type: 'positions', gen, ticks, running, x, y (Float32Array), tickMs}

'use strict';

const K = 30; // ideal link length
const K2 = K * K;
const THETA2 = 1.44; // Barnes–Hut opening criterion θ = 1.2, squared
const GRAVITY = 0.08;
const SLICE_MS = 25; // work between two position updates

const EMPTY = -1;
const INTERNAL = -2;
const BUCKET = -3; // a leaf holding several (near-)coincident nodes as one mass

let gen = 0;
let n = 0;
let x = new Float64Array(0);
let y = new Float64Array(0);
let edges = new Int32Array(0);
let ticks = 0;
let maxTicks = 300;
let running = false;
let scheduled = false;

// Quadtree in flat arrays; grown on demand.
let cap = 0;
let mass;
let sumX;
let sumY;
let cellX;
let cellY;
let cellSize;
let body;
let child;
let used = 0;

function ensure(capacity) {
  if (capacity <= cap) return;
  const next = Math.max(capacity, cap * 2, 1024);
  const grow = (old, Type) => {
    const a = new Type(next);
    if (old) a.set(old.subarray(0, used));
    return a;
  };
  mass = grow(mass, Float64Array);
  sumX = grow(sumX, Float64Array);
  sumY = grow(sumY, Float64Array);
  cellX = grow(cellX, Float64Array);
  cellY = grow(cellY, Float64Array);
  cellSize = grow(cellSize, Float64Array);
  body = grow(body, Int32Array);
  const c = new Int32Array(next * 4);
  if (child) c.set(child.subarray(0, used * 4));
  child = c;
  cap = next;
}

function newCell(x0, y0, size) {
  ensure(used + 1);
  const c = used++;
  mass[c] = 0;
  sumX[c] = 0;
  sumY[c] = 0;
  cellX[c] = x0;
  cellY[c] = y0;
  cellSize[c] = size;
  body[c] = EMPTY;
  child[4 * c] = child[4 * c + 1] = child[4 * c + 2] = child[4 * c + 3] = -1;
  return c;
}

function quadrant(c, px, py) {
  const half = cellSize[c] / 2;
  return (px >= cellX[c] + half ? 1 : 0) + (py >= cellY[c] + half ? 2 : 0);
}

function childOf(c, q) {
  let k = child[4 * c + q];
  if (k < 0) {
    const half = cellSize[c] / 2;
    k = newCell(cellX[c] + (q & 1 ? half : 0), cellY[c] + (q & 2 ? half : 0), half);
    child[4 * c + q] = k;
  }
  return k;
}

function insert(i) {
  const px = x[i];
  const py = y[i];
  let c = 0;
  for (let depth = 0; ; depth++) {
    mass[c] += 1;
    sumX[c] += px;
    sumY[c] += py;
    const b = body[c];
    if (b === EMPTY && mass[c] === 1) {
      body[c] = i;
      return;
    }
    if (b === BUCKET) return;
    if (b >= 0) {
      if (depth >= 40) {
        body[c] = BUCKET;
        return;
      }
      // Split the leaf: its body moves one level down.
      body[c] = INTERNAL;
      const k = childOf(c, quadrant(c, x[b], y[b]));
      mass[k] = 1;
      sumX[k] = x[b];
      sumY[k] = y[b];
      body[k] = b;
    }
    c = childOf(c, quadrant(c, px, py));
  }
}

function buildTree() {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    if (x[i] < minX) minX = x[i];
    if (x[i] > maxX) maxX = x[i];
    if (y[i] < minY) minY = y[i];
    if (y[i] > maxY) maxY = y[i];
  }
  used = 0;
  ensure(4 * n + 16);
  newCell(minX - 1, minY - 1, Math.max(maxX - minX, maxY - minY) + 2);
  for (let i = 0; i < n; i++) insert(i);
}

const stack = new Int32Array(4 * 64 + 8);

function tick() {
  const temperature = 2 * K * Math.max(0.02, 1 - ticks / maxTicks);
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  buildTree();
  for (let i = 0; i < n; i++) {
    const px = x[i];
    const py = y[i];
    let fx = 0;
    let fy = 0;
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const c = stack[--sp];
      const m = mass[c];
      if (m === 0) continue;
      const b = body[c];
      if (b === i) continue;
      let ddx = px - sumX[c] / m;
      let ddy = py - sumY[c] / m;
      let d2 = ddx * ddx + ddy * ddy;
      if (b >= 0 || b === BUCKET || cellSize[c] * cellSize[c] < THETA2 * d2) {
        if (d2 < 0.01) {
          ddx = Math.random() - 0.5;
          ddy = Math.random() - 0.5;
          d2 = 0.5;
        }
        const f = (K2 * m) / d2; // k²/d along the unit vector, times the mass
        fx += ddx * f;
        fy += ddy * f;
      } else {
        for (let q = 0; q < 4; q++) {
          const k = child[4 * c + q];
          if (k >= 0) stack[sp++] = k;
        }
      }
    }
    dx[i] = fx - px * GRAVITY;
    dy[i] = fy - py * GRAVITY;
  }
  for (let e = 0; e < edges.length; e += 2) {
    const a = edges[e];
    const b = edges[e + 1];
    const ddx = x[a] - x[b];
    const ddy = y[a] - y[b];
    const d = Math.sqrt(ddx * ddx + ddy * ddy) || 0.01;
    const f = d / K; // d²/k along the unit vector
    dx[a] -= ddx * f;
    dy[a] -= ddy * f;
    dx[b] += ddx * f;
    dy[b] += ddy * f;
  }
  for (let i = 0; i < n; i++) {
    const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
    if (d > 0) {
      const m = Math.min(d, temperature) / d;
      x[i] += dx[i] * m;
      y[i] += dy[i] * m;
    }
  }
  ticks++;
  if (ticks >= maxTicks) running = false;
}

function loop() {
  scheduled = false;
  if (!running) return;
  const start = performance.now();
  let done = 0;
  do {
    tick();
    done++;
  } while (running && performance.now() - start < SLICE_MS);
  const tickMs = (performance.now() - start) / done;
  const fx = Float32Array.from(x);
  const fy = Float32Array.from(y);
  postMessage({ type: 'positions', gen, ticks, running, x: fx, y: fy, tickMs }, [fx.buffer, fy.buffer]);
  schedule();
}

function schedule() {
  if (running && !scheduled) {
    scheduled = true;
    setTimeout(loop, 0);
  }
}

self.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'start') {
    gen = m.gen;
    x = m.x;
    y = m.y;
    n = x.length;
    edges = m.edges;
    ticks = m.ticks || 0;
    maxTicks = m.maxTicks || 300;
    running = n > 0 && ticks < maxTicks;
    schedule();
  } else if (m.type === 'stop') {
    running = false;
  }
};
