/**
 * Values read on hot paths, kept for `ttlMs` so each costs one Redis read per key per TTL. The
 * pending read is what is kept, so concurrent misses for one key share it; a failed read is not
 * kept (the next caller asks again).
 */
export class ExpiringCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; until: number }>();

  constructor(
    private readonly load: (key: string) => Promise<T>,
    private readonly ttlMs: number,
  ) {}

  get(key: string, now = Date.now()): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    const entry = { value: this.load(key), until: now + this.ttlMs };
    this.entries.set(key, entry);
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.value;
  }
}
