import type { Dispatcher } from "undici";
import type { Notifier } from "./notification.js";
import type { NotifierConfig } from "./notifier-config.js";
import { slackNotifier } from "./slack-notifier.js";
import { smtpNotifier } from "./smtp-notifier.js";
import { teamsNotifier } from "./teams-notifier.js";
import { webhookNotifier } from "./webhook-notifier.js";

/** The channel a notifier's config describes; `caFile` is already resolved against the config file's directory. */
export function createNotifier(name: string, config: NotifierConfig, options: { now?: () => number; dispatcher?: Dispatcher } = {}): Notifier {
  switch (config.type) {
    case "slack":
      return slackNotifier(name, config, options.dispatcher);
    case "teams":
      return teamsNotifier(name, config, options.dispatcher);
    case "webhook":
      return webhookNotifier(name, config, options);
    case "smtp":
      return smtpNotifier(name, config);
  }
}
