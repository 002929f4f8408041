/**
 * A payload a source adapter cannot turn into a RuntimeAlert. `field` names the offending field as a
 * dotted path (`output_fields.k8s.pod.name`, `Service.RuntimeDetails`, `$` for the whole payload) so
 * the HTTP answer can tell the sender exactly what to fix.
 */
export class AdapterInputError extends Error {
  override readonly name = "AdapterInputError";
  constructor(
    readonly source: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${source} payload: field ${field}: ${problem}`);
  }
}
