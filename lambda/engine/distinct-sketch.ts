/**
 * A HyperLogLog sketch (2^12 registers, about 1.6% standard error) of the values of one column: how many
 * distinct values a run made, without keeping them. Sketches of disjoint row ranges merge by maximum, so
 * worker threads' sketches add up to the sketch of the whole run.
 */
const PRECISION = 12;
const REGISTERS = 1 << PRECISION;
const ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);

export class DistinctSketch {
  readonly registers: Uint8Array;

  constructor(registers?: Uint8Array) {
    this.registers = registers ?? new Uint8Array(REGISTERS);
  }

  /**
   * Counts the value whose 32-bit key is `key`. Equal values must have equal keys, and keys must already be
   * well mixed (the writers' keys are mix32 outputs): no second hash here, on the hot path.
   */
  add(hash: number): void {
    const index = hash >>> (32 - PRECISION);
    const rank = Math.clz32((hash << PRECISION) | (1 << (PRECISION - 1))) + 1;
    if (rank > this.registers[index]) this.registers[index] = rank;
  }

  merge(other: DistinctSketch): void {
    const registers = this.registers;
    other.registers.forEach((rank, i) => {
      if (rank > registers[i]) registers[i] = rank;
    });
  }

  /** The estimated number of distinct values counted. */
  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (const rank of this.registers) {
      sum += 2 ** -rank;
      if (rank === 0) zeros++;
    }
    const raw = (ALPHA * REGISTERS * REGISTERS) / sum;
    // Few values: linear counting of empty registers is the better estimate.
    if (raw <= 2.5 * REGISTERS && zeros > 0) return Math.round(REGISTERS * Math.log(REGISTERS / zeros));
    return Math.round(raw);
  }
}
