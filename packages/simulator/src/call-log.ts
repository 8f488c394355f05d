/** One request to a completion endpoint, as the simulator saw it. */
export interface CallRecord {
  /** 1-based arrival number since start or the last reset. */
  seq: number;
  /** Epoch ms at which the whole request had arrived (the instant rate limits count it). */
  at: number;
  provider: 'openai' | 'anthropic';
  /** Empty when the body could not be read as a request. */
  model: string;
  stream: boolean;
  /** HTTP status sent, or what happened instead of one. */
  status: number | 'hang' | 'reset';
  /**
   * Why the simulator failed the call on purpose: an injected fault kind, `rate_limit` for a
   * limiter 429, `context_length` for `contextWindow`, `404` for a model outside `models`.
   * `null` for successes and for client errors such as a missing key or a bad body.
   */
  fault: string | null;
  /** sha256 (hex) of model + messages, directives included: identical requests share it. */
  requestHash: string;
  inputTokens: number;
  outputTokens: number;
  /** Last 4 characters of the API key only. */
  apiKey: string;
}

/** Fixed-capacity ring buffer, so a long load test cannot grow memory without bound. */
export class CallLog {
  private slots: Array<CallRecord | undefined>;
  private next = 0;
  private size = 0;

  constructor(capacity: number) {
    this.slots = new Array<CallRecord | undefined>(capacity);
  }

  push(record: CallRecord): void {
    const capacity = this.slots.length;
    if (capacity === 0) return;
    this.slots[this.next] = record;
    this.next = (this.next + 1) % capacity;
    if (this.size < capacity) this.size++;
  }

  /** Oldest first. */
  list(): CallRecord[] {
    const capacity = this.slots.length;
    const out: CallRecord[] = [];
    for (let i = 0; i < this.size; i++) {
      const record = this.slots[(this.next - this.size + i + capacity) % capacity];
      if (record) out.push(record);
    }
    return out;
  }

  clear(): void {
    this.slots = new Array<CallRecord | undefined>(this.slots.length);
    this.next = 0;
    this.size = 0;
  }

  /** Keeps the newest records that still fit. */
  resize(capacity: number): void {
    if (capacity === this.slots.length) return;
    const kept = capacity > 0 ? this.list().slice(-capacity) : [];
    this.slots = new Array<CallRecord | undefined>(capacity);
    this.next = 0;
    this.size = 0;
    for (const record of kept) this.push(record);
  }
}
