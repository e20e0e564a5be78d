// A FIFO counting semaphore: bounds how many actions are in their mutating phase (and how many state polls run)
// at once. acquire() resolves to a release function that must be called exactly once.

export class Semaphore {
  private available: number;
  private readonly queue: Array<() => void> = [];

  constructor(size: number) {
    this.available = size;
  }

  async acquire(): Promise<() => void> {
    if (this.available > 0) {
      this.available--;
    } else {
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next();
      else this.available++;
    };
  }
}
