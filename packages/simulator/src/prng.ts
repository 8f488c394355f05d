/**
 * Small seeded PRNG (sfc32). Math.random cannot be seeded, and simulated latency, fault draws
 * and answer text must be repeatable from a seed or a hash.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    // sfc32's first outputs are correlated with the seed words; discard them.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Seeds from an integer; any safe integer works, including ones above 2^32. */
  static fromSeed(seed: number): Prng {
    const low = seed >>> 0;
    const high = Math.floor(seed / 0x1_0000_0000) >>> 0;
    let state = low ^ Math.imul(high, 0x9e3779b9);
    const next = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    return new Prng(next(), next(), next(), next());
  }

  /** Seeds from the first 16 bytes of a digest. */
  static fromBytes(bytes: Uint8Array): Prng {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new Prng(view.getUint32(0), view.getUint32(4), view.getUint32(8), view.getUint32(12));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
}
