/**
 * A uniform sample of at most `size` numbers from a stream (Algorithm R), with a fixed-seed generator: the same stream
 * gives the same sample, so the same files infer the same document.
 */
import { mix32 } from '../../lambda/engine/random';

export class Reservoir {
  readonly values: number[] = [];
  private seen = 0;
  private random = 0x9e3779b9;

  constructor(private readonly size: number) {}

  add(x: number): void {
    this.seen += 1;
    if (this.values.length < this.size) {
      this.values.push(x);
      return;
    }
    this.random = mix32(this.random + 0x6d2b79f5);
    const slot = this.random % this.seen;
    if (slot < this.size) this.values[slot] = x;
  }
}
