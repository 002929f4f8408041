/** A channel refused or did not take a notification; the message names the channel, never its secret URL or password. */
export class NotificationError extends Error {
  override readonly name = "NotificationError";

  constructor(
    readonly notifier: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`notifier ${notifier}: ${message}`, options);
  }
}
