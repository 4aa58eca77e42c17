/** What one drawing of the map shows: where everything is and each element's colour step. */
export interface MapPicture {
  width: number;
  height: number;
  px: Float64Array;
  py: Float64Array;
  radius: number;
  /** outline the buses (small feeders; a large one would be all outline) */
  outline: boolean;
  /** CSS px; 1 is drawn by the canvas's hairline path, many times faster than any wider line */
  lineWidth: number;
  branches: readonly { from: number; to: number }[];
  /** colour step per branch and per bus (−1: no value, drawn in the palette's last entry) */
  branchLevel: Int16Array;
  busLevel: Int16Array;
  branchPalette: readonly string[];
  busPalette: readonly string[];
  /** called with each bus's index as it is drawn (the page writes the value it drew on the bus's element) */
  onBus?: (bus: number) => void;
}

/** Elements drawn between two looks at the clock: small enough to stop near the budget. */
const CHUNK = 600;

/**
 * Draws the map on a canvas without holding the page up: the picture is drawn on a back buffer
 * in slices of at most `budgetMs` of script, one slice a frame, and copied to the visible canvas
 * in one step once whole (so a frame never shows half a picture, and the page keeps its frame
 * rate while a large feeder is recoloured every second). A newer picture replaces one still
 * being drawn. The first picture of a canvas is drawn at once, so the page's first paint shows it.
 */
export class MapPainter {
  private readonly back: HTMLCanvasElement;
  private job = 0;
  private drawnOnce = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly budgetMs = 6,
    private readonly nextFrame: (f: () => void) => void = (f) => requestAnimationFrame(f),
  ) {
    this.back = document.createElement('canvas');
  }

  /** Draws `pic`; `done` runs once it is on the visible canvas, with the script time it took, ms. */
  paint(pic: MapPicture, done?: (scriptMs: number) => void): void {
    const job = ++this.job;
    const dpr = window.devicePixelRatio || 1;
    for (const c of [this.canvas, this.back]) {
      if (c.width !== pic.width * dpr || c.height !== pic.height * dpr) {
        c.width = pic.width * dpr;
        c.height = pic.height * dpr;
      }
    }
    // a canvas in memory, drawn at once: each slice's drawing is rasterized within the slice
    const ctx = this.back.getContext('2d', { willReadFrequently: true })!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, pic.width, pic.height);
    const total = pic.branches.length + pic.busLevel.length;
    let next = 0;
    let scriptMs = 0;
    const budget = this.drawnOnce ? this.budgetMs : Number.POSITIVE_INFINITY;
    this.drawnOnce = true;
    const slice = () => {
      if (job !== this.job) return;
      const t0 = performance.now();
      while (next < total && performance.now() - t0 < budget) {
        const end = Math.min(total, next + CHUNK, next < pic.branches.length ? pic.branches.length : total);
        if (next < pic.branches.length) drawBranches(ctx, pic, next, end);
        else drawBuses(ctx, pic, next - pic.branches.length, end - pic.branches.length);
        // the canvas records drawing and rasterizes it later, all at once; reading a pixel makes
        // it rasterize this chunk now, inside the slice's budget
        ctx.getImageData(0, 0, 1, 1);
        next = end;
      }
      if (next >= total) {
        const v = this.canvas.getContext('2d')!;
        v.setTransform(1, 0, 0, 1, 0, 0);
        v.clearRect(0, 0, this.canvas.width, this.canvas.height);
        v.drawImage(this.back, 0, 0);
      }
      scriptMs += performance.now() - t0;
      if (next < total) this.nextFrame(slice);
      else done?.(scriptMs);
    };
    slice();
  }

  /** Stops a drawing under way (the map is leaving the page). */
  cancel(): void {
    this.job++;
  }
}

/** One path per colour: a few dozen strokes instead of one per line. */
function drawBranches(ctx: CanvasRenderingContext2D, pic: MapPicture, from: number, to: number): void {
  const paths = new Map<number, Path2D>();
  for (let k = from; k < to; k++) {
    const level = pic.branchLevel[k];
    let path = paths.get(level);
    if (!path) paths.set(level, (path = new Path2D()));
    const b = pic.branches[k];
    path.moveTo(pic.px[b.from], pic.py[b.from]);
    path.lineTo(pic.px[b.to], pic.py[b.to]);
  }
  ctx.lineWidth = pic.lineWidth;
  for (const [level, path] of paths) {
    ctx.strokeStyle = pic.branchPalette.at(level)!;
    ctx.stroke(path);
  }
}

function drawBuses(ctx: CanvasRenderingContext2D, pic: MapPicture, from: number, to: number): void {
  const paths = new Map<number, Path2D>();
  const r = pic.radius;
  for (let i = from; i < to; i++) {
    const level = pic.busLevel[i];
    let path = paths.get(level);
    if (!path) paths.set(level, (path = new Path2D()));
    // below two pixels a square is a dot to the eye, and much cheaper to rasterize than a circle
    if (r <= 2) path.rect(pic.px[i] - r, pic.py[i] - r, 2 * r, 2 * r);
    else {
      path.moveTo(pic.px[i] + r, pic.py[i]);
      path.arc(pic.px[i], pic.py[i], r, 0, 2 * Math.PI);
    }
    pic.onBus?.(i);
  }
  ctx.lineWidth = 0.4;
  ctx.strokeStyle = '#222';
  for (const [level, path] of paths) {
    ctx.fillStyle = pic.busPalette.at(level)!;
    ctx.fill(path);
    if (pic.outline) ctx.stroke(path);
  }
}
