// Virtual time for the interpreter: its timers (task timeouts, retry back-off) fire in order, instantly, once
// nothing is waiting on the worker. A Retry of 60 s or a TimeoutSeconds of 25 hours then costs no wall time,
// and the elapsed virtual time can be asserted.
const real = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout, setImmediate: globalThis.setImmediate };

export class VirtualClock {
  now = 0;
  #timers = new Map();
  #sequence = 0;
  #busy = 0;
  #scheduled = false;

  install() {
    globalThis.setTimeout = (callback, ms, ...args) => this.#add(callback, ms, args);
    globalThis.clearTimeout = (handle) => {
      if (handle && typeof handle === 'object' && 'virtualId' in handle) this.#timers.delete(handle.virtualId);
      else real.clearTimeout(handle);
    };
  }

  uninstall() {
    globalThis.setTimeout = real.setTimeout;
    globalThis.clearTimeout = real.clearTimeout;
  }

  reset() {
    this.now = 0;
    this.#timers.clear();
  }

  sleep(seconds) {
    return new Promise((resolve) => globalThis.setTimeout(resolve, seconds * 1000));
  }

  /** Virtual time stands still while `promise` (real I/O) is pending. */
  async whileBusy(promise) {
    this.#busy += 1;
    try {
      return await promise;
    } finally {
      this.#busy -= 1;
      this.#schedule();
    }
  }

  #add(callback, ms, args) {
    const virtualId = ++this.#sequence;
    this.#timers.set(virtualId, { at: this.now + Math.max(0, Number(ms) || 0), callback, args });
    this.#schedule();
    const handle = { virtualId, ref: () => handle, unref: () => handle, hasRef: () => true, refresh: () => handle };
    return handle;
  }

  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    real.setImmediate(() => {
      this.#scheduled = false;
      this.#fireNext();
    });
  }

  #fireNext() {
    if (this.#busy > 0 || this.#timers.size === 0) return;
    let nextId;
    let next;
    for (const [id, timer] of this.#timers) if (!next || timer.at < next.at) [nextId, next] = [id, timer];
    this.#timers.delete(nextId);
    this.now = next.at;
    next.callback(...next.args);
    this.#schedule();
  }
}
