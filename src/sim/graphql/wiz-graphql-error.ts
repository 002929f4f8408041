import { GraphQLError } from "graphql";

/** `extensions.code` values Wiz clients handle (REFERENCE section 4), plus the standard validation codes. */
export type WizErrorCode =
  | "UNAUTHENTICATED"
  | "UNAUTHORIZED"
  | "BAD_USER_INPUT"
  | "INTERNAL"
  | "RATE_LIMIT_EXCEEDED"
  | "FORBIDDEN_IP"
  | "NOT_FOUND"
  | "GRAPHQL_VALIDATION_FAILED"
  | "GRAPHQL_PARSE_FAILED";

/** An error a resolver raises on purpose; it reaches the client with its code, like Wiz's. */
export function wizError(code: WizErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export function notFound(): GraphQLError {
  // SP and the Appmixer harness match this exact message.
  return wizError("NOT_FOUND", "Resource not found");
}
