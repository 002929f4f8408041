import { request } from "undici";
import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { SCOPES } from "../wiz-scopes.js";
import { networkErrorFrom } from "../../network-failure.js";
import { WizInputError, WizServerError } from "../../wiz-errors.js";

// Wiz's V1 enrichment document; only the envelope is checked here, the findings belong to the push path.
const enrichmentDocumentInput = z.looseObject({
  integrationId: z.string().min(1, { error: "must be the integration id (55c176cc-d155-43a2-98ed-aa56873a1ca1 for Wiz customers)" }),
  dataSources: z
    .array(z.looseObject({ id: z.string().min(1, { error: "must name the data source" }), assets: z.array(z.looseObject({})) }))
    .min(1, { error: "needs at least one data source" }),
});

export interface UploadReceipt {
  /** What S3 answered (200). */
  status: number;
  /** S3's ETag of the stored body, when sent. */
  etag?: string;
  bytes: number;
}

const OPERATION = "upload.uploadDocument";

/** The URL without its query: the presigned signature must never reach a log or an error. */
function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/** S3 answers errors as XML; only Code and Message are kept (SignatureDoesNotMatch echoes the signature). */
function s3Error(body: string): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return [code, message].filter(Boolean).join(": ") || "no error detail";
}

export const uploadDocumentOperation = defineOperation({
  resource: "upload",
  name: "uploadDocument",
  description: "PUT a V1 enrichment JSON document to the presigned URL from requestUpload (no Wiz token is sent); then poll getSystemActivity.",
  input: z.strictObject({
    url: z.url({ protocol: /^https?$/, error: "must be the presigned upload URL returned by upload requestUpload" }),
    document: enrichmentDocumentInput,
  }),
  document: "",
  mutating: true,
  scopes: SCOPES.none,
  custom: true,
  variables: () => ({}),
  output: (data): UploadReceipt => data as UploadReceipt,
  async execute(input, context): Promise<UploadReceipt> {
    const body = JSON.stringify(input.document);
    const target = withoutQuery(input.url);
    let response;
    try {
      response = await request(input.url, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body,
        dispatcher: context.dispatcher(),
        signal: context.signal,
      });
    } catch (error) {
      throw networkErrorFrom(error, { request: { method: "PUT", url: target, operationName: OPERATION }, operationName: OPERATION, target: "api" });
    }
    const text = await response.body.text();
    if (response.statusCode === 200) {
      const etag = response.headers.etag;
      return { status: 200, bytes: Buffer.byteLength(body), ...(typeof etag === "string" ? { etag } : {}) };
    }
    const detail = s3Error(text);
    const summary = { method: "PUT", url: target, operationName: OPERATION };
    if (response.statusCode >= 500) {
      throw new WizServerError(
        { what: `The upload to ${target} failed with HTTP ${response.statusCode} (${detail}).`, cause: "a storage-side failure.", fix: "PUT the same document again; the URL stays valid until it expires." },
        { code: "UPLOAD_FAILED", status: response.statusCode, operationName: OPERATION, retryable: true, request: summary },
      );
    }
    const expired = /expired/i.test(detail);
    throw new WizInputError(
      {
        what: `The upload to ${target} was refused with HTTP ${response.statusCode} (${detail}).`,
        cause: expired ? "the presigned URL expired (they last about a day)." : "the URL was altered or already used for another document, or the body is too large.",
        fix: "request a new slot with upload requestUpload and PUT the document to its URL.",
      },
      { code: expired ? "UPLOAD_URL_EXPIRED" : "UPLOAD_REFUSED", status: response.statusCode, operationName: OPERATION, request: summary, mayHaveExecuted: false },
    );
  },
});
