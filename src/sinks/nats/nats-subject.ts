/**
 * Subject templates: `wiz.{connector}.{stream}` names the subject each event is published on. Literal
 * tokens are plain names; `{connector}` and `{stream}` take the event's values with every character a
 * subject cannot hold safely (a dot would split the token, a space or `*`/`>` would break it) made `_`.
 */
export const SUBJECT_TEMPLATE_RULE = /^(?:[A-Za-z0-9_-]|\{connector\}|\{stream\})+(?:\.(?:[A-Za-z0-9_-]|\{connector\}|\{stream\})+)*$/;

export const SUBJECT_TEMPLATE_MESSAGE = "must be dot-separated tokens of letters, digits, '_' or '-', with {connector} and {stream} as placeholders (e.g. wiz.{connector}.{stream})";

export const DEFAULT_SUBJECT_TEMPLATE = "wiz.{connector}.{stream}";

export interface SubjectTemplate {
  /** The subject of one event (cached per connector and stream: the hot path renders it once). */
  subjectOf(connectorId: string, stream: string): string;
  /** The wildcard subject every rendered subject matches (`wiz.*.*`): what a stream must capture. */
  readonly capture: string;
}

export function compileSubjectTemplate(template: string): SubjectTemplate {
  const cache = new Map<string, string>();
  const capture = template
    .split(".")
    .map((token) => (token.includes("{") ? "*" : token))
    .join(".");
  return {
    capture,
    subjectOf(connectorId, stream) {
      const key = `${connectorId}\u0000${stream}`;
      let subject = cache.get(key);
      if (subject === undefined) {
        subject = template.replaceAll("{connector}", subjectToken(connectorId)).replaceAll("{stream}", subjectToken(stream));
        cache.set(key, subject);
      }
      return subject;
    },
  };
}

/** A value made one safe subject token (never empty). */
export function subjectToken(value: string): string {
  const token = value.replace(/[^A-Za-z0-9_-]/g, "_");
  return token === "" ? "_" : token;
}

/**
 * True when the filter (a stream's subject, wildcards allowed) captures every subject the pattern can
 * name; the pattern may itself hold `*` tokens (a template's capture subject).
 */
export function subjectCovers(filter: string, pattern: string): boolean {
  const f = filter.split(".");
  const p = pattern.split(".");
  for (let i = 0; i < f.length; i += 1) {
    const token = f[i];
    if (token === ">") return p.length > i;
    if (i >= p.length) return false;
    if (token === "*") {
      if (p[i] === ">") return false;
      continue;
    }
    if (token !== p[i]) return false;
  }
  return f.length === p.length;
}
