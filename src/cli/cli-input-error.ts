/** Input the CLI refused before sending anything (malformed JSON, a flag value, a profile); exit code 2. */
export class CliInputError extends Error {
  override readonly name = "CliInputError";

  constructor(
    message: string,
    /** What to do about it, printed on its own line. */
    readonly fix: string,
  ) {
    super(message);
  }
}
