/**
 * Runs async tasks one after another: changes to the managed connectors and sinks read, validate and write
 * several places (store rows, credentials, the engine), and two at once could interleave halfway.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
