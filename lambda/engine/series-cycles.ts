/**
 * The seasonal amplitude of a series (seriesValue's daily and weekly cycles), measured from pairs of consecutive rows
 * of one parent: the step between the two values, D = x_i − x_{i−1}, loses the parent's level, and a cycle
 * A cos(2π(t − p)/P) adds to it a·(cos θ_i − cos θ_{i−1}) + b·(sin θ_i − sin θ_{i−1}) with θ = 2πt/P, a = A cos(2πp/P),
 * b = A sin(2πp/P). A least-squares fit of D on those differences, every declared cycle at once, gives each cycle's
 * amplitude √(a² + b²) and peak p, with standard errors from the fit's residual variance (the drift's and the noise's
 * steps), so the report can say whether the values follow the declared amplitude and peak.
 */

/** A cycle of a series as declared: period and peak in days (the peak from the epoch, mod the period). */
export interface DeclaredCycle {
  readonly name: 'daily' | 'weekly';
  readonly periodDays: number;
  readonly amplitude: number;
  readonly peakDays: number;
  /** Where the cycle's own clock starts, in days from the epoch: 0 for the day, Monday 00:00 UTC for the week. */
  readonly originDays: number;
}

/** What the pairs say of one cycle. */
export interface CycleFit {
  readonly cycle: DeclaredCycle;
  readonly amplitude: number;
  /** Observed peak, in days from the epoch mod the period. */
  readonly peakDays: number;
  /** 5 standard errors plus 2% of the declared amplitude (values rounded to their digits). */
  readonly amplitudeMargin: number;
  /** 5 standard errors of the peak, in days, plus 1% of the period. */
  readonly peakMargin: number;
}

/** Accumulates the normal equations of the fit pair by pair. */
export class CycleFitter {
  private readonly size: number;
  private readonly normal: Float64Array;
  private readonly right: Float64Array;
  private readonly row: Float64Array;
  private squares = 0;
  private pairs = 0;

  public constructor(private readonly cycles: readonly DeclaredCycle[]) {
    this.size = 2 * cycles.length;
    this.normal = new Float64Array(this.size * this.size);
    this.right = new Float64Array(this.size);
    this.row = new Float64Array(this.size);
  }

  /** One pair of one parent: times in days, and the step between the values. */
  public add(beforeDays: number, afterDays: number, step: number): void {
    const { size, row, normal, right } = this;
    this.cycles.forEach((cycle, k) => {
      const before = (2 * Math.PI * beforeDays) / cycle.periodDays;
      const after = (2 * Math.PI * afterDays) / cycle.periodDays;
      row[2 * k] = Math.cos(after) - Math.cos(before);
      row[2 * k + 1] = Math.sin(after) - Math.sin(before);
    });
    for (let i = 0; i < size; i++) {
      right[i] += row[i] * step;
      for (let j = 0; j < size; j++) normal[i * size + j] += row[i] * row[j];
    }
    this.squares += step * step;
    this.pairs++;
  }

  /** Each cycle's fit, or undefined with fewer pairs than unknowns plus 30, or steps that do not tell the cycles apart. */
  public fit(): CycleFit[] | undefined {
    const { size, pairs } = this;
    if (this.cycles.length === 0 || pairs < size + 30) return undefined;
    const inverse = invert(this.normal, size);
    if (inverse === undefined) return undefined;
    const beta = new Float64Array(size);
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) beta[i] += inverse[i * size + j] * this.right[j];
    // Residual sum of squares: DᵀD − βᵀXᵀD.
    let explained = 0;
    for (let i = 0; i < size; i++) explained += beta[i] * this.right[i];
    const residualVariance = Math.max(0, this.squares - explained) / (pairs - size);
    return this.cycles.map((cycle, k) => {
      const a = beta[2 * k];
      const b = beta[2 * k + 1];
      const varA = residualVariance * inverse[2 * k * size + 2 * k];
      const varB = residualVariance * inverse[(2 * k + 1) * size + 2 * k + 1];
      const cov = residualVariance * inverse[2 * k * size + 2 * k + 1];
      const amplitude = Math.hypot(a, b);
      const squared = Math.max(amplitude * amplitude, 1e-300);
      const amplitudeError = Math.sqrt(Math.max(0, (a * a * varA + b * b * varB + 2 * a * b * cov) / squared));
      const phaseError = Math.sqrt(Math.max(0, (b * b * varA + a * a * varB - 2 * a * b * cov) / (squared * squared)));
      const turn = cycle.periodDays / (2 * Math.PI);
      const peakDays = (((Math.atan2(b, a) * turn) % cycle.periodDays) + cycle.periodDays) % cycle.periodDays;
      return {
        cycle,
        amplitude,
        peakDays,
        amplitudeMargin: 5 * amplitudeError + 0.02 * cycle.amplitude,
        peakMargin: 5 * phaseError * turn + 0.01 * cycle.periodDays,
      };
    });
  }
}

/** The distance between two peaks on a cycle of `period`. */
export function peakDistance(one: number, other: number, period: number): number {
  const apart = Math.abs(one - other) % period;
  return Math.min(apart, period - apart);
}

/** Whether a fit is within its margins of the declared cycle. */
export function cycleHolds(fit: CycleFit): boolean {
  return Math.abs(fit.amplitude - fit.cycle.amplitude) <= fit.amplitudeMargin
    && peakDistance(fit.peakDays, fit.cycle.peakDays, fit.cycle.periodDays) <= fit.peakMargin;
}

/** The inverse of a small symmetric matrix by Gauss–Jordan elimination with partial pivoting; undefined when singular. */
function invert(matrix: Float64Array, size: number): Float64Array | undefined {
  const work = Float64Array.from(matrix);
  const inverse = new Float64Array(size * size);
  for (let i = 0; i < size; i++) inverse[i * size + i] = 1;
  for (let column = 0; column < size; column++) {
    let pivot = column;
    for (let r = column + 1; r < size; r++) if (Math.abs(work[r * size + column]) > Math.abs(work[pivot * size + column])) pivot = r;
    const scale = work[pivot * size + column];
    if (Math.abs(scale) < 1e-12) return undefined;
    for (let j = 0; j < size; j++) {
      [work[pivot * size + j], work[column * size + j]] = [work[column * size + j], work[pivot * size + j]];
      [inverse[pivot * size + j], inverse[column * size + j]] = [inverse[column * size + j], inverse[pivot * size + j]];
    }
    for (let j = 0; j < size; j++) {
      work[column * size + j] /= scale;
      inverse[column * size + j] /= scale;
    }
    for (let r = 0; r < size; r++) {
      if (r === column) continue;
      const factor = work[r * size + column];
      if (factor === 0) continue;
      for (let j = 0; j < size; j++) {
        work[r * size + j] -= factor * work[column * size + j];
        inverse[r * size + j] -= factor * inverse[column * size + j];
      }
    }
  }
  return inverse;
}
