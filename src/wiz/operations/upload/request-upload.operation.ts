import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { SCOPES } from "../wiz-scopes.js";
import { WizResponseError } from "../../wiz-errors.js";

// A query in Wiz's API, though it reserves a slot: it is marked mutating so it is never replayed.
const DOCUMENT = /* GraphQL */ `
  query RequestSecurityScanUpload($filename: String!) {
    requestSecurityScanUpload(filename: $filename) { upload { id url systemActivityId } }
  }
`;

export interface UploadSlot {
  /** Numeric string, e.g. "17768"; systemActivity's context.fileUploadId. */
  id: string;
  /** Presigned PUT URL (valid about a day); treat it as a secret until used. */
  url: string;
  /** Poll upload getSystemActivity with it. */
  systemActivityId: string;
}

export const requestUploadOperation = defineOperation({
  resource: "upload",
  name: "requestUpload",
  description: "Reserve an enrichment upload slot: a presigned PUT URL and the systemActivity id to poll.",
  input: z.strictObject({
    filename: z
      .string()
      .min(1, { error: "must be a file name such as wizbridge-findings.json" })
      .max(255, { error: "must be at most 255 characters" })
      .regex(/^[^/\\]+$/, { error: "must be a plain file name without a directory" }),
  }),
  document: DOCUMENT,
  mutating: true,
  scopes: SCOPES.createExternalDataIngestion,
  variables: (input) => ({ filename: input.filename }),
  output: (data): UploadSlot => {
    const upload = (data as { requestSecurityScanUpload: { upload: UploadSlot | null } | null }).requestSecurityScanUpload?.upload;
    if (!upload) {
      throw new WizResponseError(
        { what: "Wiz returned no upload slot.", cause: "an incomplete answer from Wiz.", fix: "request a new slot." },
        { code: "EMPTY_UPLOAD_SLOT", operationName: "upload.requestUpload", status: 200, retryable: false },
      );
    }
    return upload;
  },
});
